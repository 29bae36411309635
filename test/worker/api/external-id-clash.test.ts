// A document insert that clashes with the project's externalId writes no audit row for the id it
// never inserted: POST /v1/documents answers 409 naming the existing document, and POST /v1/ingest
// re-ingests the existing document, with its audit rows filed under that document.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
});

/** The document audit rows a request wrote, each with whether its target is a document that exists. */
async function documentAuditOf(res: Response) {
  const requestId = res.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  return (await admin().query(
    `select action, target_id as "targetId",
            exists (select 1 from documents d where d.tenant_id = e.tenant_id and d.id::text = e.target_id) as "exists"
     from audit_events e
     where e.tenant_id = $1 and e.target_type = 'document' and e.detail->>'requestId' = $2
     order by action`,
    [a.id, requestId],
  )) as Array<{ action: string; targetId: string; exists: boolean }>;
}

describe('an externalId clash', () => {
  it('POST /v1/documents: 409 naming the existing document, and no audit row for the other id', async () => {
    const body = {
      title: 'Manual',
      filename: 'manual.txt',
      contentType: 'text/plain',
      sizeBytes: 5,
      projectId: a.projectIds[0],
      externalId: 'manual-1',
    };
    const first = await api(h, a, '/v1/documents', { body });
    const { document } = await json<{ document: { id: string } }>(first);
    expect(await documentAuditOf(first)).toEqual([{ action: 'document.create', targetId: document.id, exists: true }]);

    const again = await api(h, a, '/v1/documents', { body });
    expect(await outcome(again.clone())).toEqual({
      status: 409,
      code: 'conflict',
      message: `externalId: already used by document ${document.id}`,
    });
    expect(await documentAuditOf(again)).toEqual([]);
  });

  it('POST /v1/ingest: the re-ingest is audited under the existing document only', async () => {
    const body = {
      source: 'email',
      title: 'Mail',
      text: 'first text',
      externalId: 'mail-1',
      projectId: a.projectIds[0],
    };
    const first = await json<{ id: string }>(await api(h, a, '/v1/ingest', { body }));
    const again = await api(h, a, '/v1/ingest', { body: { ...body, text: 'second text' } });
    expect(await json(again.clone())).toMatchObject({ id: first.id, status: 'ready' });
    const rows = await documentAuditOf(again);
    expect(rows.map((row) => row.action)).toEqual(
      expect.arrayContaining(['document.ingest', 'document.ingestion.queued']),
    );
    expect(rows.every((row) => row.targetId === first.id && row.exists)).toBe(true);
  });
});
