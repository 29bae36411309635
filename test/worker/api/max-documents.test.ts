// limits.maxDocuments, through the whole app: every path that creates a document row
// (POST /v1/documents, POST /v1/ingest with a new externalId or none) is refused at the limit with
// 403 limit_exceeded naming it, leaving no document, no upload URL and no audit row of the create
// (one access.denied row records the refusal). A re-ingest of a known externalId creates nothing and
// goes through; a delete frees a slot. The count is the whole tenant's, also for a key limited to
// one project, and holds under concurrency. Other tenants keep their own limits.
import { beforeAll, describe, expect, it } from 'vitest';
import { mintApiKey } from '../../../src/tenancy/api-key-format.ts';
import { admin, countAsAdmin } from '../db/fixtures.ts';
import { countNeonRequests } from '../services/service-deps.ts';
import { api, createHarness, HARNESS_LIMITS, type Harness, json, outcome, type TestTenant } from './harness.ts';
import { withTenantSettings } from './resources.ts';

/** The harness's tenants and keys behind an app whose registry gives each its maxDocuments. */
const withMaxDocuments = (h: Harness, maxDocuments: Record<string, number>): Harness =>
  withTenantSettings(h, (tenant) => ({
    limits: { maxDocuments: maxDocuments[tenant.id] ?? HARNESS_LIMITS.maxDocuments },
  }));

/** Two tenants; the first limited to `max` documents, the second to the default 1000. */
async function tenantsAtLimit(max: number) {
  const base = await createHarness(2);
  const [a, b] = base.tenants as [TestTenant, TestTenant];
  return { h: withMaxDocuments(base, { [a.id]: max }), a, b };
}

const create = (h: Harness, t: TestTenant, title = 'Doc', projectId = t.projectIds[0]) =>
  api(h, t, '/v1/documents', {
    body: { title, filename: 'doc.txt', contentType: 'text/plain', sizeBytes: 5, projectId },
  });

const ingest = (h: Harness, t: TestTenant, externalId?: string) =>
  api(h, t, '/v1/ingest', {
    body: { source: 'document', title: 'Text', text: `${t.canary} text`, projectId: t.projectIds[0], externalId },
  });

const refusal = (max: number) => ({
  status: 403,
  code: 'limit_exceeded',
  message: `maxDocuments: this tenant has reached its limit of ${max} documents; delete one to add another`,
});

/** Every audit row the request wrote, by its request id. */
const auditOf = (res: Response) =>
  admin().query(
    `select action, target_type, target_id, detail->>'outcome' as outcome, detail->>'maxDocuments' as max
     from audit_events where detail->>'requestId' = $1 order by created_at`,
    [res.headers.get('x-request-id')],
  );

const deniedRow = (max: number) => ({
  action: 'access.denied',
  target_type: 'limit',
  target_id: 'maxDocuments',
  outcome: 'denied',
  max: String(max),
});

const counter = async (tenantId: string) =>
  (await admin().query('select documents from tenant_document_counts where tenant_id = $1', [tenantId]))[0];

/** A secret key of `tenant` with the documents scopes, limited to its first project. */
async function projectLimitedWriter(tenant: TestTenant): Promise<TestTenant> {
  const minted = await mintApiKey('secret');
  const sql = admin();
  await sql.transaction([
    sql`insert into api_keys (tenant_id, lookup_id, secret_hash, kind, scopes, all_projects)
        values (${tenant.id}, ${minted.keyId}, ${minted.hash}, 'secret', ${['documents:read', 'documents:write']}, false)`,
    sql`insert into api_key_projects (tenant_id, api_key_id, project_id)
        select ${tenant.id}, id, ${tenant.projectIds[0]} from api_keys where tenant_id = ${tenant.id} and lookup_id = ${minted.keyId}`,
  ]);
  return { ...tenant, keys: { ...tenant.keys, secret: minted.key } };
}

describe('limits.maxDocuments', () => {
  let h: Harness;
  let a: TestTenant;
  let b: TestTenant;
  let kept: string;
  beforeAll(async () => {
    ({ h, a, b } = await tenantsAtLimit(2));
    expect((await create(h, a)).status).toBe(201);
    const res = await ingest(h, a, 'kept');
    expect(res.status, await res.clone().text()).toBe(201);
    kept = (await json<{ id: string }>(res)).id;
  });

  it('at the limit, POST /v1/documents is 403 limit_exceeded: no row, no upload URL, only the denial audited', async () => {
    const res = await create(h, a, 'One too many');
    expect(await outcome(res.clone())).toEqual(refusal(2));
    expect(await res.text()).not.toMatch(/upload|https?:/);
    expect(await auditOf(res)).toEqual([deniedRow(2)]);
    expect(await countAsAdmin('documents', a.id)).toBe(2);
    expect(await counter(a.id)).toEqual({ documents: 2 });
  });

  it('at the limit, POST /v1/ingest with a new externalId or none is refused the same way', async () => {
    for (const externalId of ['new-one', undefined]) {
      const res = await ingest(h, a, externalId);
      expect(await outcome(res.clone())).toEqual(refusal(2));
      expect(await auditOf(res)).toEqual([deniedRow(2)]);
    }
    expect(await countAsAdmin('documents', a.id)).toBe(2);
    expect(await countAsAdmin('chunks', a.id)).toBe(1);
  });

  it('at the limit, a re-ingest of a known externalId creates nothing and goes through', async () => {
    const res = await ingest(h, a, 'kept');
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await json(res)).toMatchObject({ id: kept, status: 'ready' });
    expect(await countAsAdmin('documents', a.id)).toBe(2);
  });

  it('another tenant is not held to this one’s limit or count', async () => {
    for (const title of ['B one', 'B two', 'B three']) expect((await create(h, b, title)).status).toBe(201);
    expect(await counter(b.id)).toEqual({ documents: 3 });
    expect((await create(h, a)).status).toBe(403);
  });

  it('deleting a document frees a slot, for one more document only', async () => {
    expect((await api(h, a, `/v1/documents/${kept}`, { method: 'DELETE' })).status).toBe(204);
    expect(await counter(a.id)).toEqual({ documents: 1 });
    expect((await create(h, a, 'In the freed slot')).status).toBe(201);
    expect(await outcome(await create(h, a, 'Over again'))).toEqual(refusal(2));
    expect(await counter(a.id)).toEqual({ documents: 2 });
  });
});

describe('limits.maxDocuments counts the whole tenant', () => {
  it('a key limited to one project is refused when the tenant is at its limit, whatever that project holds', async () => {
    const { h, a } = await tenantsAtLimit(2);
    for (const title of ['Elsewhere 1', 'Elsewhere 2']) {
      expect((await create(h, a, title, a.projectIds[1])).status).toBe(201);
    }
    const limited = await projectLimitedWriter(a);
    const listed = await json<{ documents: unknown[] }>(await api(h, limited, '/v1/documents'));
    expect(listed.documents).toEqual([]); // its own project is empty
    const res = await create(h, limited, 'Mine', a.projectIds[0]);
    expect(await outcome(res.clone())).toEqual(refusal(2));
    expect(await auditOf(res)).toEqual([deniedRow(2)]);
    expect(await outcome(await ingest(h, limited))).toEqual(refusal(2));
    expect(await countAsAdmin('documents', a.id)).toBe(2);
  });

  it('a limit of 0 refuses the first document', async () => {
    const { h, a } = await tenantsAtLimit(0);
    expect(await outcome(await create(h, a))).toEqual(refusal(0));
    expect(await outcome(await ingest(h, a, 'first'))).toEqual(refusal(0));
    expect(await countAsAdmin('documents', a.id)).toBe(0);
  });
});

describe('limits.maxDocuments under concurrency', () => {
  it('two creates racing at the limit minus one: one 201, one 403', async () => {
    const { h, a } = await tenantsAtLimit(3);
    for (const title of ['Before 1', 'Before 2']) expect((await create(h, a, title)).status).toBe(201);
    // Both insert batches go to the database together (each held until the other comes).
    const marker = `race-${crypto.randomUUID()}`;
    let waiting: (() => void) | undefined;
    const lockstep = countNeonRequests(marker, () => {
      const partner = waiting;
      if (partner) {
        waiting = undefined;
        partner();
        return undefined;
      }
      return new Promise<undefined>((resolve) => {
        waiting = () => resolve(undefined);
        setTimeout(() => resolve(undefined), 1000);
      });
    });
    const answers = await Promise.all([create(h, a, `${marker} x`), create(h, a, `${marker} y`)]).finally(
      lockstep.stop,
    );
    expect(lockstep.count()).toBe(2);
    const outcomes = await Promise.all(answers.map(outcome));
    expect(outcomes.map((o) => o.status).sort()).toEqual([201, 403]);
    expect(outcomes.find((o) => o.status === 403)).toEqual(refusal(3));
    expect(await countAsAdmin('documents', a.id)).toBe(3);
    expect(await counter(a.id)).toEqual({ documents: 3 });
  });

  it('eight creates and ingests at once with five slots: exactly five documents', async () => {
    const { h, a } = await tenantsAtLimit(5);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? create(h, a, `Burst ${i}`) : ingest(h, a, `burst-${i}`))),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 403)).toHaveLength(3);
    expect(await countAsAdmin('documents', a.id)).toBe(5);
    expect(await counter(a.id)).toEqual({ documents: 5 });
  });
});
