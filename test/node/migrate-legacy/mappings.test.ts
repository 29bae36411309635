// The other two owner mappings, re-embedding, and rollback. single-tenant: every user into one
// tenant, vectors re-embedded from Bulkhead's own chunking (no legacy chunk table). explicit: users
// assigned to named tenants, one of which existed before the migration with data of its own, which
// rollback must leave exactly as it was while removing everything the apply report lists.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { seed } from '../../../scripts/db/seeding.ts';
import { parsePlan } from '../../../scripts/migrate-legacy/plan.ts';
import { runMigration } from '../../../scripts/migrate-legacy/run-migration.ts';
import { stableUuid } from '../../../scripts/migrate-legacy/stable-ids.ts';
import { canary, createLegacyApp, type LegacyApp } from './legacy-app.ts';
import {
  asTenant,
  namespaceIds,
  objectKeys,
  targetIndex,
  tenantChunkTexts,
  tenantCounts,
  tenantExists,
} from './target-view.ts';

// Each run boots real connections on a shared, busy machine: seconds, not the default 5.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe('single-tenant, re-embedded', () => {
  let app: LegacyApp;
  beforeAll(async () => {
    app = await createLegacyApp({ users: 2, documentsPerUser: 3, chunksPerDocument: 1, unowned: 1, orphans: false });
  });
  afterAll(() => app.close());

  it('puts every owner in one tenant, refusing NULL owners unless the plan names where they go', async () => {
    const document = app.planDocument({
      mapping: 'single-tenant',
      tenant: { slug: `one-${app.run}`, name: 'Everyone' },
    });
    const table = document.source.tables[0] as Record<string, unknown>;
    delete table.chunks; // no legacy chunk table: Bulkhead chunks the text itself
    document.source.vectors.model = 'text-embedding-3-small'; // not the target embedder: re-embed
    const refused = await runMigration(await parsePlan(document), { mode: 'dry-run', env: app.env });
    expect(refused.survey.refusedRows).toEqual([{ table: 'documents', owner: null, reason: 'null-owner', rows: 1 }]);
    expect(refused.ok).toBe(false);

    const plan = await parsePlan({
      ...document,
      owners: { ...document.owners, nullOwner: { slug: `one-${app.run}`, name: 'Everyone' } },
    });
    const report = await runMigration(plan, { mode: 'apply', env: app.env });
    expect(report.validation?.problems).toEqual([]);
    expect(report.vectorMode).toBe('re-embed');
    expect(report.tenants).toHaveLength(1);
    const [tenant] = report.tenants;
    expect(await tenantCounts(tenant?.id as string)).toMatchObject({ documents: 7, chunks: 7, withObjects: 4 });
    const texts = await tenantChunkTexts(tenant?.id as string);
    expect(texts.filter((t) => t.includes(canary(1)))).toHaveLength(3);
    // Re-embedded: one vector per Bulkhead chunk, under the ids retrieval looks up.
    expect((await namespaceIds(`tenant-${tenant?.id}`)).length).toBe(7);
    expect(report.applied?.rows.vectorsEmbedded).toBe(7);
  });
});

describe('explicit mapping into an existing tenant, then rollback', () => {
  let app: LegacyApp;
  const existing = { id: '', projectId: '', slug: '' };
  beforeAll(async () => {
    app = await createLegacyApp({ users: 3, documentsPerUser: 2, chunksPerDocument: 2, unowned: 1, orphans: false });
    existing.id = stableUuid('test-existing', app.run);
    existing.projectId = stableUuid('test-existing-project', app.run);
    existing.slug = `existing-${app.run}`;
    // A tenant provisioned before the migration, holding a document and a vector of its own.
    await seed(inject('stack').adminUrl, {
      tenants: [
        {
          id: existing.id,
          slug: existing.slug,
          name: 'Existing team',
          status: 'active',
          allowedOrigins: [],
          features: { chat: true },
          limits: {
            requestsPerMinute: 60,
            burst: 10,
            maxDocuments: 100,
            maxUploadBytes: 1000000,
            maxTopK: 5,
            minRetrievalScore: 0.1,
          },
          projects: [{ id: existing.projectId, name: 'Main' }],
          apiKeys: [],
        },
      ],
    });
    await asTenant(existing.id, async (client) => {
      await client.query(
        "insert into documents (tenant_id, project_id, title, content_type, status) values ($1, $2, 'Our own', 'text/plain', 'ready')",
        [existing.id, existing.projectId],
      );
      await client.query('commit');
    });
    await targetIndex()
      .namespace(`tenant-${existing.id}`)
      .upsert({ records: [{ id: 'own-vector', values: Array.from({ length: 384 }, (_, i) => (i === 0 ? 1 : 0)) }] });
  });
  afterAll(() => app.close());

  it('applies, validates, and rollback removes exactly what the report lists', async () => {
    const before = await app.sourceFingerprint();
    const plan = await parsePlan(
      app.planDocument({
        mapping: 'explicit',
        tenants: [
          { id: existing.id, projectId: existing.projectId, slug: existing.slug, name: 'Existing team' },
          { slug: `new-${app.run}`, name: 'New team' },
        ],
        assign: { '1': existing.slug, '2': existing.slug, '3': `new-${app.run}` },
        nullOwner: { slug: `new-${app.run}`, name: 'New team' },
      }),
    );
    const applied = await runMigration(plan, { mode: 'apply', env: app.env });
    expect(applied.validation?.problems).toEqual([]);
    const created = applied.tenants.find((t) => t.provisioned);
    // The NULL-owner rows are read first, so their tenant comes first.
    expect(applied.tenants.map((t) => [t.slug, t.provisioned])).toEqual([
      [`new-${app.run}`, true],
      [existing.slug, false],
    ]);
    expect(await tenantCounts(existing.id)).toMatchObject({ documents: 1 + 4 });
    expect(await tenantCounts(created?.id as string)).toMatchObject({ documents: 2 + 1 });

    const rolledBack = await runMigration(plan, { mode: 'rollback', env: app.env, tenants: applied.tenants });
    expect(rolledBack.rollback).toEqual([
      { tenant: { id: created?.id, slug: created?.slug }, documents: 3, vectors: 6, objects: 1, tenantDeleted: true },
      { tenant: { id: existing.id, slug: existing.slug }, documents: 4, vectors: 8, objects: 2, tenantDeleted: false },
    ]);
    // The existing tenant has exactly what it had before; the created one is gone with its data.
    expect(await tenantCounts(existing.id)).toEqual({ documents: 1, chunks: 0, audit: 0, withObjects: 0 });
    expect(await namespaceIds(`tenant-${existing.id}`)).toEqual(['own-vector']);
    expect(await objectKeys(`tenants/${existing.id}/`)).toEqual([]);
    expect(await tenantExists(created?.id as string)).toBe(false);
    expect(await namespaceIds(`tenant-${created?.id}`)).toEqual([]);
    expect(await objectKeys(`tenants/${created?.id}/`)).toEqual([]);
    expect(await app.sourceFingerprint()).toBe(before);

    // Rolled back, the plan applies again from the start (the cache keys are already gone).
    const again = await runMigration(plan, { mode: 'apply', env: app.env });
    expect(again.validation?.problems).toEqual([]);
    expect(again.applied?.rows.documentsInserted).toBe(7);
  });
});
