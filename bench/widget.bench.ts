// The widget's figures:
// - widgetGzipBytes: /widget.js as scripts/build-widget.ts bundles it, gzip level 9 (budget 20 KB).
// - streamFirstEventMs vs jsonAnswerMs: the same question to the same conversation, interleaved in
//   one run, through the Worker in workerd (wrangler's unstable_dev from wrangler.toml, acme's
//   `streaming` flag turned on in its tenants row) on a local stack in a child process: medians of the time until the first
//   server-sent event arrives, until the stream's `done` event, and until the whole JSON answer.
//   Locally there is no chat model (retrieval-only answers), so the first event saves only the
//   composing and the storing batch; with a model it also saves the whole generation.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { unstable_dev } from 'wrangler';
import { devApiKey } from '../local/dev-keys.ts';
import { bundleWidget, writeWidgetModule } from '../scripts/build-widget.ts';
import { migrate } from '../scripts/db/migrations.ts';
import { readProvisioning, seed } from '../scripts/db/seeding.ts';
import { setTenantFeature } from '../test/node/browser/tenant-features.ts';
import { startChildStack } from './support/child-stack.ts';
import { median, round } from './support/stats.ts';

const WIDGET_GZIP_BUDGET_BYTES = 20 * 1024;
// Within acme's burst (100), as the secret key spends the tenant's bucket.
const ROUNDS = 30;
const WARMUP = 3;
const ACME_PROJECT = '2a9ef623-4255-4149-a55e-77b0e60033b2';
const API = 'http://api.bulkhead.localhost';

export async function run(): Promise<Record<string, unknown>> {
  const script = await bundleWidget();
  const widgetGzipBytes = gzipSync(script, { level: 9 }).byteLength;
  const stream = await answerTimings();
  return {
    widgetBytes: Buffer.byteLength(script),
    widgetGzipBytes,
    widgetGzipWithinBudget: widgetGzipBytes <= WIDGET_GZIP_BUDGET_BYTES,
    ...stream,
  };
}

async function answerTimings() {
  const stateDir = await mkdtemp(join(process.cwd(), '.bulkhead', 'bench-widget-'));
  await chmod(stateDir, 0o755); // as root, Postgres runs as another user that must reach its data dir
  const stack = await startChildStack(stateDir);
  const envFile = join(stateDir, 'empty.env');
  await writeFile(envFile, '');
  await writeWidgetModule();
  let worker: Awaited<ReturnType<typeof unstable_dev>> | undefined;
  try {
    await migrate(stack.adminUrl);
    await seed(stack.adminUrl, await readProvisioning());
    await setTenantFeature(stack.adminUrl, 'acme', 'streaming', true);
    worker = await unstable_dev('src/index.ts', {
      config: 'wrangler.toml',
      vars: { ...stack.workerVars, ENVIRONMENT: 'test' },
      envFiles: [envFile],
      ip: '127.0.0.1',
      port: 0,
      persist: false,
      logLevel: 'none',
      experimental: { disableExperimentalWarning: true },
    });
    const secret = (await devApiKey('acme', 'secret')).key;
    const send = (path: string, key: string, body: unknown, headers: Record<string, string> = {}) =>
      (worker as NonNullable<typeof worker>).fetch(`${API}${path}`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    for (let i = 0; i < 10; i++) {
      const text = `Returns policy ${i}: customers may return goods within ${i + 10} days of delivery. `.repeat(20);
      const res = await send('/v1/ingest', secret, {
        source: 'document',
        title: `Policy ${i}`,
        text,
        projectId: ACME_PROJECT,
      });
      if (res.status !== 201) throw new Error(`bench ingest answered ${res.status}`);
    }
    const started = (await (await send('/v1/conversations', secret, { projectId: ACME_PROJECT })).json()) as {
      conversation: { id: string };
    };
    const path = `/v1/conversations/${started.conversation.id}/messages`;
    const question = { content: 'How many days do customers have to return goods?' };

    const first: number[] = [];
    const done: number[] = [];
    const json: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      let t = performance.now();
      const streamed = await send(path, secret, question, { accept: 'text/event-stream' });
      const reader = (streamed.body as unknown as ReadableStream<Uint8Array>).getReader();
      let text = new TextDecoder().decode((await reader.read()).value);
      const firstEvent = performance.now() - t;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        text += new TextDecoder().decode(chunk.value);
      }
      const streamDone = performance.now() - t;
      if (streamed.status !== 200 || !text.includes('event: done')) throw new Error('bench stream did not finish');
      t = performance.now();
      const answered = await send(path, secret, question);
      await answered.json();
      const jsonDone = performance.now() - t;
      if (answered.status !== 201) throw new Error(`bench JSON answer ${answered.status}`);
      if (i < WARMUP) continue;
      first.push(firstEvent);
      done.push(streamDone);
      json.push(jsonDone);
    }
    return {
      streamFirstEventMs: round(median(first)),
      streamDoneMs: round(median(done)),
      jsonAnswerMs: round(median(json)),
      streamRounds: ROUNDS,
    };
  } finally {
    await worker?.stop();
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}
