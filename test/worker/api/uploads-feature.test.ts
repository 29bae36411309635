// A tenant whose `uploads` feature is off gets 403 feature_disabled, naming the flag, on the two
// upload routes (POST /v1/documents for a presigned upload, POST /v1/documents/{id}/complete), with
// an access.denied audit row and nothing else written. POST /v1/ingest is not an upload (the text
// is in the request; no object, no presigned URL) and keeps working. The same tenant and keys as
// the harness made, behind a second app whose registry turns the flag off.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, countAsAdmin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';
import { uploadedDocument, withFeatures } from './resources.ts';

let on: Harness;
let off: Harness;
let a: TestTenant;
let uploaded: string;
beforeAll(async () => {
  on = await createHarness(1);
  a = on.tenants[0] as TestTenant;
  uploaded = await uploadedDocument(on, a);
  off = withFeatures(on, a, { uploads: false });
});

const refused = {
  status: 403,
  code: 'feature_disabled',
  message: 'Uploads are not enabled for this tenant (feature flag: uploads)',
};

const createBody = () => ({
  title: 'Refused upload',
  filename: 'refused.txt',
  contentType: 'text/plain',
  sizeBytes: 5,
  projectId: a.projectIds[0],
});

/** The audit rows the request wrote, by its request id. */
const auditOf = async (res: Response) =>
  admin().query(
    `select tenant_id, action, target_id, detail->>'outcome' as outcome, detail->>'requiredFeature' as required
     from audit_events where detail->>'requestId' = $1`,
    [res.headers.get('x-request-id')],
  );

describe('uploads feature off', () => {
  it('POST /v1/documents: 403 feature_disabled naming the flag, audited, no row and no upload URL', async () => {
    const before = await countAsAdmin('documents', a.id);
    const res = await api(off, a, '/v1/documents', { body: createBody() });
    expect(await outcome(res.clone())).toEqual(refused);
    expect(await res.text()).not.toContain('upload":');
    expect(await auditOf(res)).toEqual([
      {
        tenant_id: a.id,
        action: 'access.denied',
        target_id: 'POST /v1/documents',
        outcome: 'denied',
        required: 'uploads',
      },
    ]);
    expect(await countAsAdmin('documents', a.id)).toBe(before);
  });

  it('POST /v1/documents/{id}/complete: 403 feature_disabled, audited, the document is not queued', async () => {
    const res = await api(off, a, `/v1/documents/${uploaded}/complete`, { method: 'POST' });
    expect(await outcome(res)).toEqual(refused);
    expect(await auditOf(res)).toEqual([
      {
        tenant_id: a.id,
        action: 'access.denied',
        target_id: 'POST /v1/documents/:id/complete',
        outcome: 'denied',
        required: 'uploads',
      },
    ]);
    const queued = await admin().query(
      `select count(*)::int as n from audit_events where tenant_id = $1 and target_id = $2 and action like 'document.ingestion.%'`,
      [a.id, uploaded],
    );
    expect(queued).toEqual([{ n: 0 }]);
  });

  it('POST /v1/ingest is not an upload: it still ingests text', async () => {
    const res = await api(off, a, '/v1/ingest', {
      body: { source: 'document', title: 'Text', text: `${a.canary} as text`, projectId: a.projectIds[0] },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await json<{ status: string }>(res)).status).toBe('ready');
  });

  it('reads and deletes of existing documents are not uploads: still answered', async () => {
    expect((await api(off, a, `/v1/documents/${uploaded}`)).status).toBe(200);
    expect((await api(off, a, '/v1/documents')).status).toBe(200);
  });

  it('the same key and document work while the feature is on', async () => {
    expect((await api(on, a, '/v1/documents', { body: createBody() })).status).toBe(201);
    expect((await api(on, a, `/v1/documents/${uploaded}/complete`, { method: 'POST' })).status).toBe(202);
  });
});
