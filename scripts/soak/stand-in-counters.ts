// Counts what one tenant's traffic makes reach the Neon and Pinecone stand-ins, with the stand-ins'
// own fault control (local/faults.ts): a zero-latency rule matching the tenant's id (in every Neon
// batch and Pinecone namespace) changes nothing and counts its hits. POST replaces a stand-in's
// rules, so this is for a dev stack nobody else is injecting faults into.
export interface StandInCounter {
  stop(): Promise<{ neon: number; pinecone: number }>;
}

const controlUrl = (endpoint: string) => `${new URL(endpoint).origin}/__faults`;

export async function countTenantAtStandIns(vars: Record<string, string>, tenantId: string): Promise<StandInCounter> {
  const endpoints = { neon: vars.NEON_HTTP_ENDPOINT, pinecone: vars.PINECONE_INDEX_HOST };
  if (!endpoints.neon || !endpoints.pinecone) throw new Error('the stand-ins of npm run dev were not found');
  const rules = { rules: [{ fault: 'latency', latencyMs: 0, includes: tenantId }] };
  for (const endpoint of Object.values(endpoints)) {
    const res = await fetch(controlUrl(endpoint as string), { method: 'POST', body: JSON.stringify(rules) });
    if (!res.ok) throw new Error(`${controlUrl(endpoint as string)} answered ${res.status}`);
  }
  const hits = async (endpoint: string) => {
    const res = await fetch(controlUrl(endpoint));
    const body = (await res.json()) as { rules: Array<{ hits: number }> };
    await fetch(controlUrl(endpoint), { method: 'DELETE' });
    return body.rules.reduce((sum, rule) => sum + rule.hits, 0);
  };
  return {
    stop: async () => ({
      neon: await hits(endpoints.neon as string),
      pinecone: await hits(endpoints.pinecone as string),
    }),
  };
}
