// A demo tenant's feature flag set for one run, in its tenants row (where the Worker reads tenant
// settings), as an operator would; returns what puts the flags back. acme streams only in the runs
// that need it: configs/tenants/provisioning.json leaves its `streaming` flag off.
import pg from 'pg';

export async function setTenantFeature(adminUrl: string, slug: string, feature: string, on: boolean) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ features: Record<string, unknown> }>(
      'select features from tenants where slug = $1',
      [slug],
    );
    const before = rows[0]?.features;
    if (!before) throw new Error(`no tenant ${slug} in the database`);
    await client.query('update tenants set features = $2::jsonb where slug = $1', [
      slug,
      JSON.stringify({ ...before, [feature]: on }),
    ]);
    return async () => {
      const restore = new pg.Client({ connectionString: adminUrl });
      await restore.connect();
      await restore.query('update tenants set features = $2::jsonb where slug = $1', [slug, JSON.stringify(before)]);
      await restore.end();
    };
  } finally {
    await client.end();
  }
}
