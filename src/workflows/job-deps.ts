// What a job's steps reach, built from the Worker's env inside the Workflow: the same settings,
// Pinecone index and KV binding requests use. Configuration-only clients are made once per
// isolate, as the request path does.
import { oncePerSettings } from '../config/once-per-settings.ts';
import { readSettings } from '../config/settings.ts';
import type { JobDeps } from '../services/jobs/durable-steps.ts';
import { pineconeIndex } from '../stores/pinecone-index.ts';

// A job can wait for a flaky store; a request cannot. Three client retries inside each step try.
const pinecone = oncePerSettings((settings) => pineconeIndex(settings, { maxRetries: 3 }));

export function jobDeps(env: Env): JobDeps {
  const settings = readSettings(env);
  return { settings, kv: env.CACHE, pinecone: pinecone(settings) };
}
