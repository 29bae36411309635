// The fuzzer's CI slice (issue 17 §1): 5,000 requests from a fixed seed through the whole app
// against the local stack. `npm run fuzz` runs the same session with ≥ 100,000 requests and
// writes the figures (scripts/fuzz/run-fuzz.ts passes FUZZ_RUNS and FUZZ_SEED as bindings).
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { fuzzSession } from './fuzz-session.ts';

const vars = env as unknown as Record<string, string | undefined>;
const runs = Number(vars.FUZZ_RUNS ?? 5000);
const seed = Number(vars.FUZZ_SEED ?? 1717);

it(
  `${runs} fuzzed requests (seed ${seed}): no 5xx, one envelope, no-store, no leak, no state change on refusal`,
  async () => {
    const report = await fuzzSession({ runs, seed });
    // One line the full run's script reads back (workerd has no file system to write it to).
    console.log(`FUZZ_REPORT ${JSON.stringify(report)}`);
    expect(report.failures).toEqual([]);
    expect(report.fuzzRequests).toBeGreaterThan(runs * 0.95);
    // Generous: a loaded machine answers ~30 requests/s; a timeout here would lose the whole report.
  },
  Math.max(900_000, runs * 60),
);
