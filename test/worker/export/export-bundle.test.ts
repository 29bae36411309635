// Export (issue 14) on the TENANT_EXPORT Workflow: JSON Lines per table and a manifest of the
// original objects with sizes and SHA-256, under the tenant's own prefix, handed out as presigned
// GETs of at most 15 minutes. Canary: tenant A's bundle holds nothing of tenant B, whose rows,
// objects and ids are planted alongside.
import { env, introspectWorkflow } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/services/export/bundle-store.ts';
import { readExport, requestExport } from '../../../src/services/export/request-export.ts';
import { admin } from '../db/fixtures.ts';
import { fillTenant, insertTenant } from '../erasure/tenant-data.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';

const deps = () => ({ settings: testSettings(), requestId: `test-${crypto.randomUUID()}` });

let a: Awaited<ReturnType<typeof insertTenant>>;
let b: Awaited<ReturnType<typeof insertTenant>>;
beforeAll(async () => {
  a = await insertTenant();
  b = await insertTenant();
  await fillTenant(a.id, a.projectId, {
    documents: 7,
    chunksPerDocument: 3,
    objects: 4,
    cacheKeys: 0,
    conversations: 2,
  });
  await fillTenant(b.id, b.projectId, {
    documents: 5,
    chunksPerDocument: 2,
    objects: 3,
    cacheKeys: 0,
    conversations: 2,
  });
  await admin().query(`update documents set title = 'canary-of-b ' || id where tenant_id = $1`, [b.id]);
});

async function exportOf(tenantId: string, projectId?: string) {
  const introspector = await introspectWorkflow(env.TENANT_EXPORT);
  try {
    await introspector.modifyAll(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
    });
    const job = await requestExport({
      ctx: tenantContext(tenantId),
      deps: deps(),
      input: { projectId, engine: env.TENANT_EXPORT },
    });
    const [instance] = await introspector.get();
    await instance?.waitForStatus('complete');
    return readExport({ ctx: tenantContext(tenantId), deps: deps(), input: { jobId: job.id } });
  } finally {
    await introspector.dispose();
  }
}

async function download(url: string) {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return res.text();
}

describe('export bundle', () => {
  it("holds the tenant's tables as JSON Lines and its objects' sizes and checksums, and nothing of another tenant", async () => {
    const result = await exportOf(a.id);
    expect(result.job.state).toBe('done');
    expect(result.expiresInSeconds).toBe(900);
    const downloads = result.downloads ?? {};
    for (const url of Object.values(downloads)) {
      const u = new URL(url);
      expect(Number(u.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
      expect(decodeURIComponent(u.pathname)).toContain(`/tenants/${a.id}/exports/${result.job.id}/`);
    }
    const texts: Record<string, string> = {};
    for (const [name, url] of Object.entries(downloads)) texts[name] = await download(url);
    const lines = (table: string) =>
      Object.entries(texts)
        .filter(([name]) => name.startsWith(`${table}-`))
        .flatMap(([, text]) =>
          text
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        );
    expect(lines('documents')).toHaveLength(7);
    expect(lines('chunks')).toHaveLength(21);
    expect(lines('conversations')).toHaveLength(2);
    expect(lines('messages')).toHaveLength(4);
    expect(lines('projects')).toHaveLength(1);
    for (const table of ['documents', 'chunks', 'conversations', 'messages', 'projects', 'audit_events']) {
      for (const row of lines(table)) expect(row.tenant_id).toBe(a.id);
    }
    const manifest = JSON.parse(texts['manifest.json'] ?? '{}') as {
      files: Array<{ name: string; rows: number; bytes: number; sha256: string }>;
      objects: Array<{ key: string; bytes: number; sha256: string }>;
    };
    expect(manifest.objects).toHaveLength(4);
    const expected = await sha256Hex(new TextEncoder().encode(`object of ${a.id}`));
    for (const object of manifest.objects) {
      expect(object.bytes).toBe(new TextEncoder().encode(`object of ${a.id}`).byteLength);
      expect(object.sha256).toBe(expected);
    }
    for (const file of manifest.files) {
      expect(file.sha256).toBe(await sha256Hex(new TextEncoder().encode(texts[file.name] ?? '')));
    }
    // The canary: nothing of B anywhere in A's bundle.
    const all = Object.values(texts).join('\n');
    expect(all).not.toContain(b.id);
    expect(all).not.toContain('canary-of-b');
    expect(all).not.toContain(b.projectId);
  }, 120_000);

  it("a project export holds only that project's rows and objects", async () => {
    const second = crypto.randomUUID();
    await admin().query(`insert into projects (tenant_id, id, name) values ($1, $2, 'second')`, [a.id, second]);
    await admin().query(
      `insert into documents (tenant_id, project_id, title, content_type) values ($1, $2, 'only-in-second', 'text/plain')`,
      [a.id, second],
    );
    const result = await exportOf(a.id, second);
    expect(result.job.state).toBe('done');
    const texts = await Promise.all(Object.values(result.downloads ?? {}).map(download));
    const all = texts.join('\n');
    expect(all).toContain('only-in-second');
    expect(all).not.toContain(a.projectId);
    expect(all).not.toContain(b.id);
  }, 120_000);

  it("another tenant's export job is not there", async () => {
    const result = await exportOf(a.id);
    await expect(
      readExport({ ctx: tenantContext(b.id), deps: deps(), input: { jobId: result.job.id } }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  }, 120_000);
});
