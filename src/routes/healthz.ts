// GET /healthz: each dependency as ok or the reason it is not. Reasons name the failure, never a
// secret, a host or a connection string.
import { Hono } from 'hono';
import type { Settings } from '../config/settings.ts';
import { httpSql } from '../db/neon-client.ts';
import type { AppEnv } from '../http/app-env.ts';
import { pineconeIndex } from '../stores/pinecone-index.ts';
import { bucketUrl, s3Client } from '../stores/s3-client.ts';

const PROBE_TIMEOUT_MS = 3_000;

type Probe = (settings: Settings, env: Env) => Promise<void>;

const probes: Record<string, Probe> = {
  postgres: async (settings) => {
    const rows = await httpSql(settings)`select 1 as ok`;
    if (rows[0]?.ok !== 1) throw new Error('unexpected answer to select 1');
  },
  pinecone: async (settings) => {
    await pineconeIndex(settings).describeIndexStats();
  },
  objectStore: async (settings) => {
    const res = await s3Client(settings).fetch(`${bucketUrl(settings)}?list-type=2&max-keys=1`);
    await res.body?.cancel();
    if (!res.ok) throw new Error(`bucket answered HTTP ${res.status}`);
  },
  kv: async (_settings, env) => {
    await env.CACHE.get('healthz:probe');
  },
};

export const healthz = new Hono<AppEnv>().get('/healthz', async (c) => {
  const settings = c.get('settings');
  const names = Object.keys(probes);
  const outcomes = await Promise.all(names.map((name) => runProbe(probes[name] as Probe, settings, c.env)));
  const checks = Object.fromEntries(names.map((name, i) => [name, outcomes[i]]));
  const ok = outcomes.every((outcome) => outcome === 'ok');
  return c.json({ status: ok ? 'ok' : 'degraded', checks }, ok ? 200 : 503);
});

async function runProbe(probe: Probe, settings: Settings, env: Env): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(settings, env), timeout]);
    return 'ok';
  } catch (error) {
    return reason(error);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** A short, secret-free reason: the error's kind and first line, with URLs and credentials cut. */
function reason(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const scrubbed = message
    .replace(/[a-z]+:\/\/\S+/gi, '<url>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?/g, '<addr>')
    .replace(/"[^"]*"/g, '"…"'); // quoted identifiers: role, database and host names
  return `${name}: ${scrubbed}`.slice(0, 160);
}
