// `npm run soak -- [--tenants 50] [--seconds 600] [--rate 1] [--noisy]` against a running
// `npm run dev` (its .bulkhead/dev.json). Provisions its own tenants (scripts/soak/soak-tenants.ts,
// seeded with scripts/db/seeding.ts seed() into the dev database), then:
// - soak: every tenant sends mixed traffic at `rate` requests/s for `seconds`; reports
//   soakCrossTenantItems, soak5xx, p50/p99 per route, and the RSS of workerd, the stand-ins and
//   Postgres each minute;
// - --noisy: ten tenants (or --tenants), the first limited to 60/min and flooding at 10× that
//   while the others send normal traffic, in alternating quiet and flood phases; reports the
//   others' 429s, noisyNeighbourP99Ratio (their p99 with the flood / without) and what of the
//   flood reached Neon and Pinecone (counted at the stand-ins).
// Writes .bulkhead/soak-report.json and merges the headline figures into .bulkhead/bench.json.
// `--prepare FILE` only writes the tenants' provisioning document (for a registry that is bundled).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { seed } from '../db/seeding.ts';
import { callFrom, loopbackAddress } from './client-address.ts';
import { devWorkerVars, type MemorySample, sampleMemory } from './dev-processes.ts';
import { makeSoakTenants, type SoakTenant } from './soak-tenants.ts';
import { countTenantAtStandIns } from './stand-in-counters.ts';
import { runTenantTraffic, type Sample, type TenantState, tenantState } from './traffic.ts';

const { values } = parseArgs({
  options: {
    tenants: { type: 'string' },
    seconds: { type: 'string' },
    rate: { type: 'string' },
    noisy: { type: 'boolean', default: false },
    prepare: { type: 'string' },
    'tenants-file': { type: 'string' },
  },
});
const noisy = values.noisy === true;
const tenantCount = Number(values.tenants ?? (noisy ? 10 : 50));
const seconds = Number(values.seconds ?? (noisy ? 240 : 600));
const rate = Number(values.rate ?? 1);
const STATE = join(process.cwd(), '.bulkhead');
const FLOOD_LIMIT = { requestsPerMinute: 60, burst: 10 };
const NORMAL_LIMIT = { requestsPerMinute: 6000, burst: 600 };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 10) / 10;
};

class Recorder {
  samples: Array<Sample & { tenant: string }> = [];
  crossTenantItems: Array<{ tenant: string; route: string; what: string }> = [];
  sample(tenant: SoakTenant, sample: Sample) {
    this.samples.push({ ...sample, tenant: tenant.id });
  }
  unknownIds: Array<{ tenant: SoakTenant; route: string; id: string }> = [];
  /** Ids of the caller's own that it never saw in a 2xx (e.g. an ingest that answered 503 late). */
  ownUnacknowledged = 0;
  crossTenant(tenant: SoakTenant, route: string, what: string) {
    this.crossTenantItems.push({ tenant: tenant.slug, route, what });
  }
  unknownId(tenant: SoakTenant, route: string, id: string) {
    this.unknownIds.push({ tenant, route, id });
  }
  /** Who owns each unknown id, as the owner reads Postgres: the caller, or someone else (a leak). */
  async settle(databaseUrl: string) {
    const ids = [...new Set(this.unknownIds.map((u) => u.id))];
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ id: string; tenant: string }>(
      `select id::text, tenant_id::text as tenant from documents where id = any($1::uuid[])
       union all select id::text, tenant_id::text from conversations where id = any($1::uuid[])
       union all select id::text, tenant_id::text from messages where id = any($1::uuid[])`,
      [ids],
    );
    await client.end();
    const owner = new Map(rows.map((r) => [r.id, r.tenant]));
    for (const u of this.unknownIds) {
      if (owner.get(u.id) === u.tenant.id) this.ownUnacknowledged++;
      else this.crossTenant(u.tenant, u.route, `${u.id} (${owner.has(u.id) ? 'another tenant' : 'no such row'})`);
    }
  }
  routes(filter: (s: Sample & { tenant: string }) => boolean = () => true) {
    const byRoute = new Map<string, number[]>();
    for (const s of this.samples.filter(filter)) byRoute.set(s.route, [...(byRoute.get(s.route) ?? []), s.ms]);
    return Object.fromEntries(
      [...byRoute].map(([route, ms]) => [
        route,
        { count: ms.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) },
      ]),
    );
  }
}

type Provisioning = Parameters<typeof seed>[1];

async function provision(): Promise<{ tenants: SoakTenant[]; provisioning: Provisioning }> {
  if (values['tenants-file']) {
    const file = JSON.parse(await readFile(values['tenants-file'], 'utf8'));
    return { tenants: file.soakTenants, provisioning: { tenants: file.tenants } };
  }
  const made = await makeSoakTenants(tenantCount, (i) => (noisy && i === 0 ? FLOOD_LIMIT : NORMAL_LIMIT));
  if (values.prepare) {
    await writeFile(
      values.prepare,
      `${JSON.stringify({ ...made.provisioning, soakTenants: made.tenants }, null, 2)}\n`,
    );
    console.log(`wrote ${values.prepare}; run again with --tenants-file ${values.prepare}`);
    process.exit(0);
  }
  return made;
}

async function main() {
  const dev = JSON.parse(await readFile(join(STATE, 'dev.json'), 'utf8').catch(() => 'null')) as {
    baseUrl: string;
    databaseUrl: string;
  } | null;
  const { tenants, provisioning } = await provision();
  const addressOf = (t: SoakTenant) => loopbackAddress(tenants.indexOf(t));
  if (!dev) throw new Error('no .bulkhead/dev.json: start `npm run dev` first');
  await seed(dev.databaseUrl, provisioning);
  for (const tenant of tenants) {
    const res = await callFrom(addressOf(tenant), `${dev.baseUrl}/v1/whoami`, {
      headers: { 'x-api-key': tenant.secretKey },
    });
    if (res.status !== 200) {
      throw new Error(`the Worker does not resolve soak tenant ${tenant.slug} (${res.status} ${res.text})`);
    }
  }
  const states = await existingStates(dev.databaseUrl, tenants);
  const memory: MemorySample[] = [];
  const sampleNow = async () => {
    const sample = await sampleMemory();
    if (sample) memory.push(sample);
  };
  await sampleNow();
  const sampler = setInterval(() => void sampleNow(), 60_000);
  const recorder = new Recorder();
  const canaries = new Map(tenants.map((t) => [t.id, t.canary]));
  const foreign = (t: SoakTenant) => [...canaries].filter(([id]) => id !== t.id).map(([, c]) => c);
  const started = Date.now();
  let figures: Record<string, unknown>;
  if (!noisy) {
    const until = started + seconds * 1000;
    await Promise.all(
      tenants.map((t) =>
        runTenantTraffic(
          t,
          states.get(t.id) as TenantState,
          {
            baseUrl: dev.baseUrl,
            rate,
            until,
            foreignCanaries: foreign(t),
            localAddress: loopbackAddress(tenants.indexOf(t)),
          },
          recorder,
        ),
      ),
    );
    figures = {
      soakCrossTenantItems: recorder.crossTenantItems.length,
      soak5xx: recorder.samples.filter((s) => s.status >= 500).length,
      soak429: recorder.samples.filter((s) => s.status === 429).length,
      soakRequests: recorder.samples.length,
      soakRoutes: recorder.routes(),
      soakRun: { tenants: tenants.length, seconds, ratePerTenant: rate },
    };
  } else {
    figures = await noisyNeighbour(tenants, dev, states, recorder, foreign);
  }
  clearInterval(sampler);
  await recorder.settle(dev.databaseUrl);
  await sampleNow();
  // Counted after settle(): the traffic only noted ids it could not place.
  if (!noisy) figures.soakCrossTenantItems = recorder.crossTenantItems.length;
  else figures.noisyNeighbourCrossTenantItems = recorder.crossTenantItems.length;
  const report = {
    ...figures,
    soakOwnIdsFromFailedAnswers: recorder.ownUnacknowledged,
    memory,
    crossTenantItems: recorder.crossTenantItems.slice(0, 20),
  };
  await mkdir(STATE, { recursive: true });
  await writeFile(
    join(STATE, noisy ? 'noisy-neighbour-report.json' : 'soak-report.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  const benchFile = join(STATE, 'bench.json');
  const bench = JSON.parse(await readFile(benchFile, 'utf8').catch(() => '{}'));
  const headline = Object.fromEntries(Object.entries(figures).filter(([, v]) => typeof v !== 'object'));
  await writeFile(
    benchFile,
    `${JSON.stringify({ ...bench, ...headline, soakMeasuredAt: new Date().toISOString() }, null, 2)}\n`,
  );
  console.log(JSON.stringify(report, null, 2));
}

/** Each tenant's state, starting from the rows Postgres already holds for it (read as the owner). */
async function existingStates(databaseUrl: string, tenants: SoakTenant[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ tenant: string; id: string; document: boolean }>(
      `select tenant_id::text as tenant, id::text, true as document from documents where tenant_id = any($1::uuid[])
       union all select tenant_id::text, id::text, false from conversations where tenant_id = any($1::uuid[])
       union all select tenant_id::text, id::text, false from messages where tenant_id = any($1::uuid[])`,
      [tenants.map((t) => t.id)],
    );
    return new Map(
      tenants.map((t) => {
        const mine = rows.filter((r) => r.tenant === t.id);
        return [
          t.id,
          tenantState(t, { ids: mine.map((r) => r.id), documents: mine.filter((r) => r.document).map((r) => r.id) }),
        ];
      }),
    );
  } finally {
    await client.end();
  }
}

async function noisyNeighbour(
  tenants: SoakTenant[],
  dev: { baseUrl: string; databaseUrl: string },
  states: Map<string, TenantState>,
  recorder: Recorder,
  foreign: (t: SoakTenant) => string[],
) {
  const [flooder, ...others] = tenants as [SoakTenant, ...SoakTenant[]];
  // Quiet and flood phases alternate, so drift on a shared machine falls on both alike.
  const phase = (seconds * 1000) / 4;
  const phases: Array<{ flood: boolean; from: number; to: number }> = [];
  const { baseUrl } = dev;
  const stateOf = (t: SoakTenant) => states.get(t.id) as TenantState;
  const vars = await devWorkerVars();
  const counter = await countTenantAtStandIns(vars, flooder.id);
  const t0 = Date.now();
  for (let i = 0; i < 4; i++) {
    const from = Date.now();
    const until = t0 + (i + 1) * phase;
    const flood = i % 2 === 1;
    const runs = others.map((t) =>
      runTenantTraffic(
        t,
        stateOf(t),
        { baseUrl, rate, until, foreignCanaries: foreign(t), localAddress: loopbackAddress(tenants.indexOf(t)) },
        recorder,
      ),
    );
    if (flood) {
      // 10× its limit: 60/min → 10 requests/s.
      const floodRate = (10 * flooder.requestsPerMinute) / 60;
      runs.push(
        runTenantTraffic(
          flooder,
          stateOf(flooder),
          {
            baseUrl,
            rate: floodRate,
            until,
            foreignCanaries: foreign(flooder),
            localAddress: loopbackAddress(0),
            queryOnly: true,
          },
          recorder,
        ),
      );
    }
    await Promise.all(runs);
    phases.push({ flood, from, to: Date.now() });
  }
  const reached = await counter.stop();
  // A 429 is audited (sampled, src/http/audit-denial.ts): those rows reach Neon by design.
  const client = new pg.Client({ connectionString: dev.databaseUrl });
  await client.connect();
  const audited = await client.query(
    "select count(*)::int as n from audit_events where tenant_id = $1 and action = 'access.denied'",
    [flooder.id],
  );
  await client.end();
  const inFlood = (at: number) => phases.some((p) => p.flood && at >= p.from && at <= p.to);
  const othersIds = new Set(others.map((t) => t.id));
  const otherSamples = recorder.samples.filter((s) => othersIds.has(s.tenant));
  const floodSamples = recorder.samples.filter((s) => s.tenant === flooder.id);
  const quietMs = otherSamples.filter((s) => !inFlood(s.endedAt)).map((s) => s.ms);
  const floodMs = otherSamples.filter((s) => inFlood(s.endedAt)).map((s) => s.ms);
  const allowed = floodSamples.filter((s) => s.status < 300).length;
  return {
    noisyNeighbourP99Ratio: Math.round((percentile(floodMs, 0.99) / percentile(quietMs, 0.99)) * 1000) / 1000,
    noisyNeighbourOthers429: otherSamples.filter((s) => s.status === 429).length,
    noisyNeighbour5xx: recorder.samples.filter((s) => s.status >= 500).length,
    noisyNeighbourCrossTenantItems: recorder.crossTenantItems.length,
    noisyNeighbourDetail: {
      tenants: tenants.length,
      seconds,
      ratePerTenant: rate,
      floodLimit: FLOOD_LIMIT,
      floodRequests: floodSamples.length,
      floodAllowed: allowed,
      floodRateLimited: floodSamples.filter((s) => s.status === 429).length,
      othersP99Ms: { quiet: percentile(quietMs, 0.99), flood: percentile(floodMs, 0.99) },
      othersP50Ms: { quiet: percentile(quietMs, 0.5), flood: percentile(floodMs, 0.5) },
      othersRequests: { quiet: quietMs.length, flood: floodMs.length },
      // Every request of the flooder that reached a stand-in, counted there.
      floodReachedStandIns: reached,
      floodDenialAuditRows: audited.rows[0]?.n ?? 0,
    },
  };
}

await main();
