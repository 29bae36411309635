// The kit end to end against a fixture legacy app (legacy-app.ts), one tenant per user: the dry
// run refuses what the plan would lose, apply moves each user's data into a tenant of its own and
// validates it, a re-run changes nothing, a crash mid-copy then a re-run ends valid, and a copy
// that loses the owner mapping, or swaps two owners of equal size, fails validation.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { seed } from '../../../scripts/db/seeding.ts';
import { openSource } from '../../../scripts/migrate-legacy/connections.ts';
import type { OwnerResolver } from '../../../scripts/migrate-legacy/owner-mapping.ts';
import { type Plan, parsePlan } from '../../../scripts/migrate-legacy/plan.ts';
import { provisioningOf } from '../../../scripts/migrate-legacy/provision-tenants.ts';
import { runMigration } from '../../../scripts/migrate-legacy/run-migration.ts';
import { mintApiKey, parseApiKey, storedHashOf } from '../../../src/tenancy/api-key-format.ts';
import { canary, createLegacyApp, type LegacyApp } from './legacy-app.ts';
import { namespaceIds, objectKeys, targetIndex, tenantChunkTexts, tenantCounts, tenantExists } from './target-view.ts';

// Each run boots real connections on a shared, busy machine: seconds, not the default 5.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const USERS = 3;
const SHAPE = { users: USERS, documentsPerUser: 4, chunksPerDocument: 2, unowned: 2, orphans: true };

/** One tenant per user; NULL owners to their own tenant; the orphan vector and object skipped. */
function acceptingPlan(app: LegacyApp): Promise<Plan> {
  const document = app.planDocument({
    mapping: 'one-tenant-per-user',
    slug: `u{owner}-${app.run}`,
    nullOwner: { slug: `unowned-${app.run}`, name: 'Documents without an owner' },
  }) as ReturnType<LegacyApp['planDocument']> & { source: { vectors: object; objects: object } };
  Object.assign(document.source.vectors, { unmatched: 'skip' });
  Object.assign(document.source.objects, { unmatched: 'skip' });
  return parsePlan(document);
}

describe('dry run', () => {
  let app: LegacyApp;
  beforeAll(async () => {
    app = await createLegacyApp(SHAPE);
  });
  afterAll(() => app.close());

  it('reports per owner → tenant and refuses NULL owners, orphan vectors and objects by default', async () => {
    const before = await app.sourceFingerprint();
    const plan = await parsePlan(app.planDocument({ mapping: 'one-tenant-per-user', slug: `u{owner}-${app.run}` }));
    const report = await runMigration(plan, { mode: 'dry-run', env: app.env });
    expect(report.ok).toBe(false);
    expect(report.survey.tenants.map((t) => [t.owners, t.tables.documents])).toEqual(
      [1, 2, 3].map((u) => [[String(u)], { rows: 4, chunks: 8, bytes: expect.any(Number) }]),
    );
    expect(report.survey.tenants.map((t) => t.vectors)).toEqual([8, 8, 8]);
    expect(report.survey.tenants.map((t) => t.objects)).toEqual([2, 2, 2]);
    expect(report.survey.refusedRows).toEqual([{ table: 'documents', owner: null, reason: 'null-owner', rows: 2 }]);
    expect(report.survey.unplacedVectors).toMatchObject({
      count: 5,
      byReason: { 'owner-refused': 4, 'no-document': 1 },
    });
    expect(report.survey.unplacedObjects).toMatchObject({ count: 1, byReason: { 'no-document': 1 } });
    expect(report.survey.cacheKeys.count).toBe(4);
    expect(report.survey.losses).toHaveLength(3);
    // Nothing was written: no tenant, the cache keys all still there, the source unchanged.
    expect(await tenantExists(report.tenants[0]?.id as string)).toBe(false);
    expect(app.kv.keys.size).toBe(5);
    expect(await app.sourceFingerprint()).toBe(before);
  });

  it('apply refuses a lossy plan and writes nothing', async () => {
    const plan = await parsePlan(app.planDocument({ mapping: 'one-tenant-per-user', slug: `u{owner}-${app.run}` }));
    const report = await runMigration(plan, { mode: 'apply', env: app.env });
    expect(report.ok).toBe(false);
    expect(report.refused).toMatch(/would lose/);
    for (const tenant of report.tenants) expect(await tenantExists(tenant.id)).toBe(false);
    expect(app.kv.keys.size).toBe(5);
  });

  it('reads the source through a session Postgres holds read-only', async () => {
    const plan = await acceptingPlan(app);
    const source = await openSource(plan, app.env);
    try {
      await expect(source.read('delete from documents')).rejects.toThrow(/only ever read/);
      // Past the statement check, Postgres itself refuses a select that writes: the session is read-only.
      await expect(
        source.read("select * from (select 1) s, lateral (select nextval('users_id_seq')) n"),
      ).rejects.toThrow(/read-only transaction/);
    } finally {
      await source.close();
    }
  });
});

describe('apply', () => {
  let app: LegacyApp;
  let plan: Plan;
  beforeAll(async () => {
    app = await createLegacyApp(SHAPE);
    plan = await acceptingPlan(app);
  });
  afterAll(() => app.close());

  it('moves each user into a tenant of its own, validated, with the cache keys purged last', async () => {
    const before = await app.sourceFingerprint();
    const report = await runMigration(plan, { mode: 'apply', env: app.env });
    expect(report.validation?.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.vectorMode).toBe('copy');
    expect(report.applied?.objects.methods).toEqual({ 'download-upload': 6 });
    const [unowned, ...users] = report.tenants;
    expect(unowned?.slug).toBe(`unowned-${app.run}`);
    expect(users.map((t) => t.slug)).toEqual([1, 2, 3].map((u) => `u${u}-${app.run}`));

    // The report's counts are what each tenant's own context reads.
    for (const line of report.validation?.tenants ?? []) {
      const counts = await tenantCounts(line.tenant.id);
      expect(counts.documents).toBe(line.tables.documents?.target);
      expect(counts.chunks).toBe(line.tables.documents?.targetChunks);
      expect((await namespaceIds(`tenant-${line.tenant.id}`)).length).toBe(line.vectors.actual);
      expect((await objectKeys(`tenants/${line.tenant.id}/`)).length).toBe(line.objects?.actual);
    }
    expect(await tenantCounts(users[0]?.id as string)).toMatchObject({ documents: 4, chunks: 8, withObjects: 2 });
    // NULL-owner rows went where the plan said.
    expect(await tenantCounts(unowned?.id as string)).toMatchObject({ documents: 2, chunks: 4 });
    expect((await tenantChunkTexts(unowned?.id as string)).every((t) => t.includes('unownedzq'))).toBe(true);

    // Only the patterns' keys are purged; the source was never written.
    expect([...app.kv.keys]).toEqual(['keep:session-1']);
    expect(await app.sourceFingerprint()).toBe(before);
  });

  it("each user's canary is only in their tenant: rows, vectors and objects", async () => {
    const report = await runMigration(plan, { mode: 'validate-only', env: app.env });
    expect(report.ok).toBe(true);
    const users = report.tenants.slice(1);
    for (const [i, tenant] of users.entries()) {
      const texts = await tenantChunkTexts(tenant.id);
      for (let u = 1; u <= USERS; u++) {
        const hits = texts.filter((t) => t.includes(canary(u))).length;
        expect(hits, `canary of user ${u} in tenant ${tenant.slug}`).toBe(u === i + 1 ? 8 : 0);
      }
      const ids = await namespaceIds(`tenant-${tenant.id}`);
      // Legacy metadata (the chunk text, user_id) stays behind: only the fields the Worker checks.
      const { records } = await targetIndex()
        .namespace(`tenant-${tenant.id}`)
        .fetch({ ids: ids.slice(0, 5) });
      for (const record of Object.values(records)) {
        expect(record.metadata).toEqual({
          tenantId: tenant.id,
          projectId: tenant.projectId,
          documentId: expect.any(String),
          chunkIndex: expect.any(Number),
        });
      }
      const own = new Set((await tenantChunkIds(tenant.id)).map((c) => c));
      expect(ids.every((id) => own.has(id))).toBe(true);
      for (const key of await objectKeys(`tenants/${tenant.id}/`))
        expect(key).toContain(`/projects/${tenant.projectId}/documents/`);
    }
  });

  it("a user's data is reachable only through their tenant's key", async () => {
    const report = await runMigration(plan, { mode: 'dry-run', env: app.env });
    const [, first, second] = report.tenants;
    const minted = await mintApiKey('secret');
    const provisioning = provisioningOf(plan, [first as never]);
    provisioning?.tenants[0]?.apiKeys.push({
      id: minted.keyId,
      kind: 'secret',
      hash: minted.hash,
      scopes: ['retrieval', 'documents:read'],
      projects: 'all',
      revoked: false,
    });
    await seed(inject('stack').adminUrl, provisioning as never);
    const resolved = await resolveKey(minted.key);
    expect(resolved).toBe(first?.id);
    const texts = await tenantChunkTexts(resolved as string);
    expect(texts.some((t) => t.includes(canary(1)))).toBe(true);
    expect(texts.some((t) => t.includes(canary(2)) || t.includes(canary(3)))).toBe(false);
    expect(resolved).not.toBe(second?.id);
  });

  it('re-running apply changes nothing', async () => {
    const first = await runMigration(plan, { mode: 'validate-only', env: app.env });
    const before = await Promise.all(
      first.tenants.map(async (t) => [await tenantCounts(t.id), (await namespaceIds(`tenant-${t.id}`)).length]),
    );
    const again = await runMigration(plan, { mode: 'apply', env: app.env });
    expect(again.ok).toBe(true);
    expect(again.applied?.rows.documentsInserted).toBe(0);
    expect(again.applied?.objects).toMatchObject({ copied: 0, alreadyThere: 6 });
    expect(again.applied?.provisionedRows).toBe(0);
    const after = await Promise.all(
      again.tenants.map(async (t) => [await tenantCounts(t.id), (await namespaceIds(`tenant-${t.id}`)).length]),
    );
    expect(after).toEqual(before);
  });
});

describe('a crash mid-copy', () => {
  let app: LegacyApp;
  beforeAll(async () => {
    app = await createLegacyApp(SHAPE);
  });
  afterAll(() => app.close());

  it('then a re-run ends valid, with exactly one copy of each item', async () => {
    const plan = await acceptingPlan(app);
    const crash = new Error('injected crash after batch 3');
    const crashed = runMigration(plan, {
      mode: 'apply',
      env: app.env,
      hooks: {
        afterBatch: (n) => {
          if (n === 3) throw crash;
        },
      },
    });
    await expect(crashed).rejects.toBe(crash);
    const partial = await runMigration(plan, { mode: 'validate-only', env: app.env });
    expect(partial.ok).toBe(false);
    const committed = (partial.validation?.tenants ?? []).reduce(
      (sum, t) => sum + (t.tables.documents?.target ?? 0),
      0,
    );
    // Three batches of at most 3 rows (a batch never spans two owners) had committed.
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(14);

    const resumed = await runMigration(plan, { mode: 'apply', env: app.env });
    expect(resumed.validation?.problems).toEqual([]);
    expect(resumed.applied?.rows.documentsInserted).toBe(14 - committed);
    for (const tenant of resumed.tenants) {
      const counts = await tenantCounts(tenant.id);
      const expected = resumed.survey.tenants.find((t) => t.tenant.id === tenant.id)?.tables.documents;
      expect(counts.documents).toBe(expected?.rows);
      expect(counts.chunks).toBe(expected?.chunks);
      // Two audit rows per document (ingest, ready), written once.
      expect(counts.audit).toBe(2 * (expected?.rows ?? 0));
    }
  });
});

describe('validation catches a copy that crosses owners', () => {
  let app: LegacyApp;
  beforeAll(async () => {
    app = await createLegacyApp({ ...SHAPE, unowned: 0, orphans: false });
  });
  afterAll(() => app.close());

  it('fails when every owner is copied into one tenant, though the totals match', async () => {
    const plan = await acceptingPlan(app);
    const allToFirst =
      (resolve: OwnerResolver): OwnerResolver =>
      () =>
        resolve('1');
    const report = await runMigration(plan, { mode: 'apply', env: app.env, copyResolver: allToFirst });
    expect(report.ok).toBe(false);
    const tenants = report.validation?.tenants ?? [];
    // A validation of totals would pass: every row arrived somewhere.
    const total = (side: 'source' | 'target') => tenants.reduce((sum, t) => sum + (t.tables.documents?.[side] ?? 0), 0);
    expect(total('target')).toBe(total('source'));
    expect(report.validation?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^u1-${app.run} documents: 4 rows in the source, 12 in the tenant`)),
        expect.stringMatching(new RegExp(`^u2-${app.run} documents: 4 rows in the source, 0 in the tenant`)),
        expect.stringMatching(
          new RegExp(
            `^u1-${app.run} vectors: 8 expected, 24 in its namespace|^u1-${app.run} vectors of other documents`,
          ),
        ),
      ]),
    );
  });

  it('fails when two owners of equal size are swapped, though every count per tenant matches', async () => {
    const other = await createLegacyApp({ ...SHAPE, unowned: 0, orphans: false });
    try {
      const plan = await acceptingPlan(other);
      const swap =
        (resolve: OwnerResolver): OwnerResolver =>
        (owner) =>
          resolve(owner === '1' ? '2' : owner === '2' ? '1' : owner);
      const report = await runMigration(plan, { mode: 'apply', env: other.env, copyResolver: swap });
      expect(report.ok).toBe(false);
      const [u1] = report.validation?.tenants ?? [];
      expect(u1?.tables.documents).toMatchObject({ source: 4, target: 4 });
      expect(u1?.problems.some((p) => p.includes('missing'))).toBe(true);
      expect(u1?.problems.some((p) => p.includes('rows of other owners'))).toBe(true);
    } finally {
      await other.close();
    }
  });
});

async function tenantChunkIds(tenantId: string): Promise<string[]> {
  const { asTenant } = await import('./target-view.ts');
  return asTenant(tenantId, async (client) =>
    (await client.query<{ id: string }>("select document_id::text || '#' || chunk_index as id from chunks")).rows.map(
      (r) => r.id,
    ),
  );
}

/** The tenant a presented key resolves to, as the Worker resolves it: by key id, then the hash. */
async function resolveKey(key: string): Promise<string | undefined> {
  const parsed = parseApiKey(key);
  if (!parsed) return undefined;
  const client = new pg.Client({ connectionString: inject('stack').workerVars.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ tenant_id: string; secret_hash: string }>(
      'select tenant_id::text, secret_hash from bulkhead_auth.resolve_api_key($1)',
      [parsed.keyId],
    );
    const hash = await storedHashOf(key);
    return rows.find((row) => row.secret_hash === hash)?.tenant_id;
  } finally {
    await client.end();
  }
}
