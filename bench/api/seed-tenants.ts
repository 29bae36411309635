// The api benchmark's fixture: tenants with one project, one secret key and DOCUMENTS one-chunk
// documents each, written as the owner straight into Postgres and the tenant's Pinecone namespace,
// plus the registry entries the app resolves their keys from.
import type { Settings } from '../../src/config/settings.ts';
import { httpSql } from '../../src/db/neon-client.ts';
import { lexicalVector } from '../../src/embeddings/local-embedder.ts';
import { pineconeIndex } from '../../src/stores/pinecone-index.ts';
import { mintApiKey } from '../../src/tenancy/api-key-format.ts';

export const TOPICS = ['refunds', 'shipping', 'warranty', 'invoices', 'accounts', 'privacy', 'returns', 'pricing'];

export interface BenchTenant {
  id: string;
  project: string;
  key: string;
  keyId: string;
  hash: string;
  /** Each has one chunk, index 0. */
  documents: string[];
}

export interface SeedSize {
  tenants: number;
  documents: number;
}

/** Tenants, projects and API keys in the registry; documents, chunks and vectors in the stores. */
export async function seed(adminUrl: string, settings: Settings, size: SeedSize): Promise<BenchTenant[]> {
  const sql = httpSql({ ...settings, DATABASE_URL: adminUrl });
  const index = pineconeIndex(settings);
  const tenants: BenchTenant[] = [];
  for (let t = 0; t < size.tenants; t++) {
    const minted = await mintApiKey('secret');
    const tenant = { id: crypto.randomUUID(), project: crypto.randomUUID(), ...minted };
    const documents = Array.from({ length: size.documents }, (_, d) => ({
      id: crypto.randomUUID(),
      text: `Tenant ${t} document ${d} explains ${TOPICS[d % TOPICS.length]} and ${TOPICS[(d * 3) % TOPICS.length]} in detail.`,
    }));
    await sql.transaction([
      sql`insert into tenants (id, slug, name) values (${tenant.id}, ${`bench-${t}`}, ${`Bench ${t}`})`,
      sql`insert into projects (tenant_id, id, name) values (${tenant.id}, ${tenant.project}, 'main')`,
      sql`insert into documents (tenant_id, project_id, id, title, content_type, status)
          select ${tenant.id}, ${tenant.project}, unnest(${documents.map((d) => d.id)}::uuid[]), 'Doc', 'text/plain', 'ready'`,
      sql`insert into chunks (tenant_id, project_id, document_id, chunk_index, content)
          select ${tenant.id}, ${tenant.project}, d, 0, c from unnest(${documents.map((d) => d.id)}::uuid[], ${documents.map((d) => d.text)}::text[]) as u(d, c)`,
    ]);
    const records = documents.map((d) => ({
      id: `${d.id}#0`,
      values: lexicalVector(d.text),
      metadata: { tenantId: tenant.id, projectId: tenant.project, documentId: d.id, chunkIndex: 0 },
    }));
    await index.namespace(`tenant-${tenant.id}`).upsert({ records });
    tenants.push({ ...tenant, documents: documents.map((d) => d.id) });
  }
  // Planner statistics, as any database that has been running has (autovacuum keeps them). Without
  // them both paths run on default estimates, and the tenant predicate RLS adds (an InitPlan, not a
  // constant) gets a worse plan than the by-hand constant: that is a fresh-table artefact.
  await sql`analyze`;
  return tenants;
}

export function provisioned(tenant: BenchTenant) {
  return {
    id: tenant.id,
    slug: `b${tenant.id.slice(0, 8)}`,
    name: 'Bench',
    status: 'active',
    allowedOrigins: [],
    features: { chat: true },
    limits: {
      requestsPerMinute: 1_000_000,
      burst: 100_000,
      maxDocuments: 1000,
      maxUploadBytes: 2_000_000,
      maxTopK: 20,
    },
    projects: [{ id: tenant.project, name: 'main' }],
    apiKeys: [
      {
        id: tenant.keyId,
        kind: 'secret',
        hash: tenant.hash,
        scopes: ['retrieval', 'documents:write'],
        projects: 'all',
        revoked: false,
      },
    ],
  };
}
