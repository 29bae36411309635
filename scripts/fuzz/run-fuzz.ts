// `npm run fuzz [-- --runs N --seed S]`: the full fuzz run (default 100,000 requests, seed 1717).
// Runs vitest with scripts/fuzz/vitest.fuzz.config.ts, reads the session's FUZZ_REPORT line back,
// writes it whole to .bulkhead/fuzz-report.json and merges fuzzRequests, fuzz5xx and fuzzLeaks
// into .bulkhead/bench.json. Exits non-zero when any request broke the oracle.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' } } });
const runs = values.runs ?? '100000';
const seed = values.seed ?? '1717';

const child = spawn('npx', ['vitest', 'run', '--config', 'scripts/fuzz/vitest.fuzz.config.ts'], {
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let report: Record<string, unknown> | undefined;
let pending = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk: string) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const at = line.indexOf('FUZZ_REPORT ');
    if (at >= 0) report = JSON.parse(line.slice(at + 'FUZZ_REPORT '.length)) as Record<string, unknown>;
    // The session's own request log is muted; what is left is vitest's summary.
    else if (!line.includes('"event":"request"')) process.stdout.write(`${line}\n`);
  }
});
const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
if (!report) {
  console.error(`the fuzz session printed no report (vitest exited ${code})`);
  process.exit(1);
}
const dir = join(process.cwd(), '.bulkhead');
await mkdir(dir, { recursive: true });
await writeFile(join(dir, 'fuzz-report.json'), `${JSON.stringify(report, null, 2)}\n`);
const benchFile = join(dir, 'bench.json');
const bench = JSON.parse(await readFile(benchFile, 'utf8').catch(() => '{}')) as Record<string, unknown>;
const { fuzzRequests, fuzz5xx, fuzzLeaks } = report;
Object.assign(bench, { fuzzRequests, fuzz5xx, fuzzLeaks, fuzzMeasuredAt: new Date().toISOString() });
await writeFile(benchFile, `${JSON.stringify(bench, null, 2)}\n`);
console.log(JSON.stringify({ fuzzRequests, fuzz5xx, fuzzLeaks, seconds: report.seconds }, null, 2));
console.log('written to .bulkhead/fuzz-report.json and .bulkhead/bench.json');
process.exit(code);
