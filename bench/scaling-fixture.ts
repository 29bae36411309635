// The scaling benchmark's fixture: `count` tenants, each with the same data as the api benchmark's
// (one project, one secret key in Postgres, DOCUMENTS one-chunk documents, their vectors in the
// tenant's Pinecone namespace), written in batches of tenants per transaction so that 10,000 tenants
// seed in minutes. Which tenants are measured is chosen by the caller; all look alike.
import type { Settings } from '../src/config/settings.ts';
import { httpSql } from '../src/db/neon-client.ts';
import { lexicalVector } from '../src/embeddings/local-embedder.ts';
import { pineconeIndex } from '../src/stores/pinecone-index.ts';
import { mintApiKey } from '../src/tenancy/api-key-format.ts';
import { type BenchTenant, TOPICS } from './api/seed-tenants.ts';

const BATCH = 250;

export async function seedManyTenants(adminUrl: string, settings: Settings, count: number, documents: number) {
  const sql = httpSql({ ...settings, DATABASE_URL: adminUrl });
  const index = pineconeIndex(settings);
  const tenants: BenchTenant[] = [];
  for (let from = 0; from < count; from += BATCH) {
    const batch: Array<BenchTenant & { texts: string[] }> = [];
    for (let t = from; t < Math.min(count, from + BATCH); t++) {
      const minted = await mintApiKey('secret');
      const docs = Array.from({ length: documents }, () => crypto.randomUUID());
      const texts = docs.map(
        (_, d) =>
          `Tenant ${t} document ${d} explains ${TOPICS[d % TOPICS.length]} and ${TOPICS[(d * 3) % TOPICS.length]} in detail.`,
      );
      batch.push({ id: crypto.randomUUID(), project: crypto.randomUUID(), ...minted, documents: docs, texts });
    }
    const col = <T>(f: (t: (typeof batch)[number]) => T) => batch.map(f);
    const perDoc = <T>(f: (t: (typeof batch)[number], d: number) => T) =>
      batch.flatMap((t) => t.documents.map((_, d) => f(t, d)));
    await sql.transaction([
      sql`insert into tenants (id, slug, name) select u.id, 'scale-' || left(u.id::text, 8) || '-' || u.n, 'Scale'
          from unnest(${col((t) => t.id)}::uuid[]) with ordinality as u(id, n)`,
      sql`insert into projects (tenant_id, id, name) select * , 'main' from unnest(${col((t) => t.id)}::uuid[], ${col((t) => t.project)}::uuid[])`,
      sql`insert into api_keys (tenant_id, lookup_id, secret_hash, kind, scopes, all_projects)
          select t, k, h, 'secret', array['retrieval','documents:read'], true
          from unnest(${col((t) => t.id)}::uuid[], ${col((t) => t.keyId)}::text[], ${col((t) => t.hash)}::text[]) as u(t, k, h)`,
      sql`insert into documents (tenant_id, project_id, id, title, content_type, status)
          select t, p, d, 'Doc', 'text/plain', 'ready'
          from unnest(${perDoc((t) => t.id)}::uuid[], ${perDoc((t) => t.project)}::uuid[], ${perDoc((t, d) => t.documents[d])}::uuid[]) as u(t, p, d)`,
      sql`insert into chunks (tenant_id, project_id, document_id, chunk_index, content)
          select t, p, d, 0, c
          from unnest(${perDoc((t) => t.id)}::uuid[], ${perDoc((t) => t.project)}::uuid[], ${perDoc((t, d) => t.documents[d])}::uuid[], ${perDoc((t, d) => t.texts[d])}::text[]) as u(t, p, d, c)`,
    ]);
    await Promise.all(
      batch.map((t) =>
        index.namespace(`tenant-${t.id}`).upsert({
          records: t.documents.map((id, d) => ({
            id: `${id}#0`,
            values: lexicalVector(t.texts[d] as string),
            metadata: { tenantId: t.id, projectId: t.project, documentId: id, chunkIndex: 0 },
          })),
        }),
      ),
    );
    for (const { texts: _texts, ...tenant } of batch) tenants.push(tenant);
  }
  await sql`analyze`;
  return tenants;
}
