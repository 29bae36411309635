// `npm run bench`: runs every benchmark module in bench/ (each exports `run()` returning named
// figures), prints them and merges them into .bulkhead/bench.json. Benchmarks, not timed tests:
// report ratios measured in one run, and counts (round trips, sizes), which are stable.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BenchModule {
  run(): Promise<Record<string, unknown>>;
}

const dir = import.meta.dirname;
const only = process.argv[2];
const names = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
if (names.length === 0) {
  console.error(`no benchmark modules${only ? ` matching ${only}` : ''} in bench/`);
  process.exit(1);
}
const outFile = join(process.cwd(), '.bulkhead', 'bench.json');
await mkdir(join(process.cwd(), '.bulkhead'), { recursive: true });
const results: Record<string, unknown> = JSON.parse(await readFile(outFile, 'utf8').catch(() => '{}'));
for (const name of names) {
  console.log(`\n== ${name}`);
  const module = (await import(join(dir, name))) as BenchModule;
  const figures = await module.run();
  console.log(JSON.stringify(figures, null, 2));
  Object.assign(results, figures, { measuredAt: new Date().toISOString() });
}
await writeFile(outFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to .bulkhead/bench.json`);
