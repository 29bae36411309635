// Migrations and demo tenants for `npm run dev`. Filled in as the schema and registry land.
export interface DevTenant {
  slug: string;
  id: string;
  publishableKey: string;
  secretKey: string;
  allowedOrigins: string[];
}

export async function prepareDevData(_adminUrl: string): Promise<DevTenant[]> {
  return [];
}
