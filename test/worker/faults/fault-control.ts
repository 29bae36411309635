// Sets and removes faults on the local stand-ins from inside workerd, through each stand-in's
// `/__faults` endpoint (local/faults.ts) on the port the Worker itself talks to.
import { env } from 'cloudflare:workers';
import type { FaultRule } from '../../../local/fault-rule.ts';

export type Dependency = 'database' | 'vectors' | 'objects';

const vars = env as unknown as Record<string, string>;
const origins: Record<Dependency, () => string> = {
  // One port serves SQL over HTTP and the WebSocket proxy; the rules are shared by both.
  database: () => new URL(vars.NEON_HTTP_ENDPOINT as string).origin,
  vectors: () => new URL(vars.PINECONE_INDEX_HOST as string).origin,
  objects: () => new URL(vars.S3_ENDPOINT as string).origin,
};

async function control(dependency: Dependency, init: RequestInit, query = ''): Promise<unknown> {
  const res = await fetch(`${origins[dependency]()}/__faults${query}`, init);
  if (res.status !== 200) throw new Error(`/__faults on the ${dependency} stand-in: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Adds rules to one stand-in; returns a function that removes exactly these rules. */
export async function injectFaults(dependency: Dependency, rules: FaultRule[]): Promise<() => Promise<void>> {
  const { ids } = (await control(dependency, { method: 'POST', body: JSON.stringify({ rules }) })) as { ids: number[] };
  return async () => {
    await control(dependency, { method: 'DELETE' }, `?${ids.map((id) => `id=${id}`).join('&')}`);
  };
}

/** Runs `work` with the rules in place, and removes them afterwards whatever happens. */
export async function withFaults<T>(dependency: Dependency, rules: FaultRule[], work: () => Promise<T>): Promise<T> {
  const remove = await injectFaults(dependency, rules);
  try {
    return await work();
  } finally {
    await remove();
  }
}
