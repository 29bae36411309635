// `npm run dev`: the local stack, migrations and demo tenants, then `wrangler dev` in front of it.
// Ctrl-C or SIGTERM stops everything it started.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoPagesFor, type ServedDemoPages, serveDemoPages } from './demo-pages.ts';
import { describeDevTenants, prepareDevData } from './dev-data.ts';
import { devOperatorKey } from './dev-keys.ts';
import { portOr } from './ports.ts';
import { type LocalStack, startLocalStack } from './stack.ts';

const STATE_DIR = join(process.cwd(), '.bulkhead');
const READY_TIMEOUT_MS = 90_000;

async function main() {
  await mkdir(STATE_DIR, { recursive: true });
  console.log('Starting the local stack…');
  const stack = await startLocalStack({ stateDir: STATE_DIR, mode: 'dev', log: console.log });
  const local = Object.entries(stack.local)
    .filter(([, isLocal]) => isLocal)
    .map(([name]) => name);
  console.log(
    `  local: ${local.join(', ') || 'none'}; real: ${
      Object.entries(stack.local)
        .filter(([, l]) => !l)
        .map(([n]) => n)
        .join(', ') || 'none'
    }`,
  );
  let wrangler: ChildProcess | undefined;
  let pages: ServedDemoPages | undefined;
  const shutdown = onceOnly(async (code: number) => {
    if (wrangler) stopGroup(wrangler);
    await pages?.close();
    await stack.stop();
    process.exit(code);
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  try {
    pages = await up(stack, (child) => {
      wrangler = child;
      child.on('exit', (code) => {
        console.error(`wrangler dev exited (${code ?? 'signal'}); stopping the local stack.`);
        void shutdown(code || 1);
      });
    });
  } catch (error) {
    console.error(`npm run dev failed: ${error instanceof Error ? error.message : error}`);
    await shutdown(1);
  }
}

async function up(stack: LocalStack, started: (wrangler: ChildProcess) => void) {
  const tenants = await prepareDevData(stack.adminUrl);
  const port = await portOr(8787);
  const baseUrl = `http://127.0.0.1:${port}`;
  const vars: Record<string, string> = { ENVIRONMENT: 'development', ...stack.workerVars };
  started(startWrangler(port, vars));
  const health = await waitForReady(baseUrl);
  const devJson = {
    baseUrl,
    apiHost: vars.API_HOST ?? (await configuredApiHost()),
    databaseUrl: stack.adminUrl,
    runtimeRole: stack.runtimeRole,
    tenants,
  };
  await writeFile(join(STATE_DIR, 'dev.json'), `${JSON.stringify(devJson, null, 2)}\n`);
  console.log(`\nBulkhead is running at ${baseUrl}`);
  console.log(`  readiness (/readyz): ${JSON.stringify(health)}`);
  for (const line of describeDevTenants(tenants)) console.log(line);
  // The operator API (/operator/v1) with the development operator key, unless OPERATOR_KEYS is set.
  if (!process.env.OPERATOR_KEYS)
    console.log(`  operator key (development, every scope): ${await devOperatorKey('operator')}`);
  // Each demo tenant's widget on a page of an origin it allows (local/demo-pages.ts).
  const pages = await serveDemoPages(demoPagesFor(tenants, devJson.apiHost, port), console.log);
  for (const [slug, url] of pages.urls) console.log(`  widget demo page (${slug}): ${url}`);
  console.log(`  details: .bulkhead/dev.json — Ctrl-C stops everything.`);
  return pages;
}

/** API_HOST as wrangler.toml sets it, for dev.json. */
async function configuredApiHost(): Promise<string> {
  const toml = await readFile('wrangler.toml', 'utf8');
  return /^API_HOST\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? '';
}

function startWrangler(port: number, vars: Record<string, string>): ChildProcess {
  const args = [
    'node_modules/wrangler/bin/wrangler.js',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist-to',
    join(STATE_DIR, 'wrangler'),
    '--show-interactive-dev-session=false',
  ];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  // Its own process group, so one signal reaches wrangler and its workerd child.
  // No telemetry, and no fetch of the `Request.cf` placeholder from the network: offline, that fetch
  // prints a `getaddrinfo ENOTFOUND` stack on every reload (miniflare then uses its built-in one).
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
  return spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true, env });
}

function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function waitForReady(baseUrl: string): Promise<unknown> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      const body = await res.json();
      if (res.ok) return body;
      last = JSON.stringify(body);
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the API did not become healthy within ${READY_TIMEOUT_MS / 1000} s: ${last}`);
}

function onceOnly<T extends unknown[]>(fn: (...args: T) => Promise<void>) {
  let started = false;
  return async (...args: T) => {
    if (started) return;
    started = true;
    await fn(...args);
  };
}

main().catch((error) => {
  console.error(`npm run dev failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
