// Tenant erasure end to end on the Workflow engine (docs/erasure.md, docs/threat-model.md T75-T76):
// data in all four stores, neighbours whose id and slug share a prefix with the erased tenant, the
// job run by the TENANT_ERASURE Workflow, then counted independently of the job.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestTenantErasure } from '../../../src/services/erasure/request-tenant-erasure.ts';
import { readJob } from '../../../src/services/jobs/read-job.ts';
import { admin } from '../db/fixtures.ts';
import { asOperator, jobDepsForTest as deps, runErasure } from './run-erasure.ts';
import { fillTenant, insertTenant, NOTHING, putObjects, remainsOfTenant } from './tenant-data.ts';

// Same first 35 characters: only the separator after the id keeps their names apart.
const base = crypto.randomUUID().slice(0, 35);
const erasedId = `${base}1`;
const neighbourId = `${base}2`;

let erased: Awaited<ReturnType<typeof insertTenant>>;
let neighbour: Awaited<ReturnType<typeof insertTenant>>;
let other: Awaited<ReturnType<typeof insertTenant>>;

beforeAll(async () => {
  const slug = `acme${base.slice(0, 6)}`;
  erased = await insertTenant(erasedId, slug);
  neighbour = await insertTenant(neighbourId, `${slug}-2`);
  other = await insertTenant();
  for (const t of [erased, neighbour, other]) await fillTenant(t.id, t.projectId);
  // Names that start with the erased tenant's id but are not under its prefix (no separator).
  await env.CACHE.put(`t:${erasedId}x:retrieval:k`, 'not the tenant');
  await putObjects([`tenants/${erasedId}x/not-the-tenant.txt`], 'not the tenant');
});

describe('tenant erasure (Workflow)', () => {
  it('leaves nothing in any store, counted independently, and ends erased with one tombstone', async () => {
    const before = await remainsOfTenant(erasedId);
    expect(before.rows.documents).toBe(5);
    expect(before.vectors).toBe(20);
    const { job, status } = await runErasure(erasedId);
    expect(status).toBe('complete');
    expect(await remainsOfTenant(erasedId)).toEqual(NOTHING);

    const view = await readJob({ ctx: asOperator(erasedId), deps: deps(), input: { jobId: job.id } });
    expect(view.state).toBe('done');
    expect(view.finishedAt).not.toBeNull();
    expect(view.progress.vectors).toEqual({ done: 20, total: 20 });
    expect(view.progress.objects).toEqual({ done: 3, total: 3 });
    expect(view.progress.cache).toEqual({ done: 3, total: 3 });
    expect(view.progress.postgres?.done).toBe(view.progress.postgres?.total);

    const sql = admin();
    const [tenant] = (await sql.query('select status::text as status, slug from tenants where id = $1', [
      erasedId,
    ])) as [{ status: string; slug: string }];
    expect(tenant).toEqual({ status: 'erased', slug: erased.slug });
    const tombstones = (await sql.query(
      `select actor_kind, detail from audit_events where tenant_id = $1 and action = 'tenant.erased'`,
      [erasedId],
    )) as Array<{ actor_kind: string; detail: { deleted: Record<string, number>; verification: { passed: boolean } } }>;
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]?.actor_kind).toBe('system');
    expect(tombstones[0]?.detail.verification.passed).toBe(true);
    expect(tombstones[0]?.detail.deleted).toMatchObject({ vectors: 20, objects: 3, cache: 3 });
  }, 60_000);

  it('leaves the neighbours alone: shared id prefix, shared slug prefix, and names without the separator', async () => {
    for (const t of [neighbour, other]) {
      const left = await remainsOfTenant(t.id);
      expect(left.rows.documents).toBe(5);
      expect(left.rows.chunks).toBe(20);
      expect(left.vectors).toBe(20);
      expect(left.objects).toBe(3);
      expect(left.cacheKeys).toBe(3);
    }
    expect(await env.CACHE.get(`t:${erasedId}x:retrieval:k`)).toBe('not the tenant');
    const sql = admin();
    const statuses = (await sql.query('select status::text as s from tenants where id = any($1::uuid[])', [
      [neighbour.id, other.id],
    ])) as Array<{ s: string }>;
    expect(statuses.map((r) => r.s)).toEqual(['active', 'active']);
  });

  it('a second request answers the same finished job and starts nothing', async () => {
    const first = (await admin().query(`select id from jobs where tenant_id = $1`, [erasedId])) as [{ id: string }];
    const again = await requestTenantErasure({
      ctx: asOperator(erasedId),
      deps: deps(),
      input: { engine: env.TENANT_ERASURE },
    });
    expect(again.id).toBe(first[0].id);
    expect(again.state).toBe('done');
  });
});
