// Unscoped legacy cache keys (`summary:2024-11`) in a Workers KV namespace, through the Cloudflare
// REST API: list by each pattern's fixed prefix, match the glob, delete in bulk. They are purged,
// never copied: a key without an owner cannot be given to a tenant, and each tenant's cache fills
// again under its own prefix (src/tenancy/storage-names.ts). Purged last, after everything else
// is copied and valid, so the legacy app keeps its cache until the data has moved.
import { type Env, setting } from './connections.ts';
import type { CacheSource } from './plan.ts';

const DEFAULT_API = 'https://api.cloudflare.com/client/v4';
const MAX_DELETE = 10_000;

export interface CacheNamespace {
  /** Every key matching one of the patterns, a page at a time. */
  matchingKeys(): AsyncGenerator<string[]>;
  deleteKeys(keys: string[]): Promise<void>;
}

export function globMatcher(patterns: string[]): (key: string) => boolean {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`, 's'),
  );
  return (key) => regexes.some((r) => r.test(key));
}

export function cacheNamespace(source: CacheSource, env: Env): CacheNamespace {
  const base = (source.apiBaseEnv ? setting(env, source.apiBaseEnv, 'source.cache.apiBaseEnv') : DEFAULT_API).replace(
    /\/+$/,
    '',
  );
  const url = `${base}/accounts/${source.accountId}/storage/kv/namespaces/${source.namespaceId}`;
  const headers = { authorization: `Bearer ${setting(env, source.apiTokenEnv, 'source.cache.apiTokenEnv')}` };
  const matches = globMatcher(source.patterns);
  // One listing per distinct prefix; a prefix that another covers is listed once through it.
  const prefixes = [...new Set(source.patterns.map((p) => p.slice(0, p.includes('*') ? p.indexOf('*') : undefined)))]
    .sort()
    .filter((p, i, all) => !all.slice(0, i).some((q) => p.startsWith(q)));

  async function call(
    path: string,
    init?: RequestInit,
  ): Promise<{ result: unknown; result_info?: { cursor?: string } }> {
    const response = await fetch(`${url}${path}`, { ...init, headers: { ...headers, ...init?.headers } });
    const body = (await response.json().catch(() => ({}))) as { success?: boolean; result: unknown; errors?: unknown };
    if (!response.ok || body.success === false) {
      throw new Error(
        `Workers KV API ${path.split('?')[0]}: ${response.status} ${JSON.stringify(body.errors ?? body)}`,
      );
    }
    return body as { result: unknown; result_info?: { cursor?: string } };
  }

  return {
    async *matchingKeys() {
      for (const prefix of prefixes) {
        let cursor: string | undefined;
        do {
          const query = new URLSearchParams({ limit: '1000', prefix });
          if (cursor) query.set('cursor', cursor);
          const page = await call(`/keys?${query}`);
          const names = (page.result as Array<{ name: string }>).map((k) => k.name);
          yield names.filter(matches);
          cursor = page.result_info?.cursor || undefined;
        } while (cursor);
      }
    },
    async deleteKeys(keys) {
      for (let start = 0; start < keys.length; start += MAX_DELETE) {
        const answer = await call('/bulk/delete', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(keys.slice(start, start + MAX_DELETE)),
        });
        // The API may delete some keys and name the rest: those are not purged, and the run must say so.
        const failed = (answer.result as { unsuccessful_keys?: string[] } | null)?.unsuccessful_keys ?? [];
        if (failed.length > 0) throw new Error(`Workers KV did not delete ${failed.length} keys, e.g. ${failed[0]}`);
      }
    },
  };
}
