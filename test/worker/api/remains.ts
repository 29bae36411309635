// What is left of a document in every store, counted past the API: rows as the database owner,
// vectors in the tenant's namespace, objects under the document's prefix.
import { pineconeIndex } from '../../../src/stores/pinecone-index.ts';
import { tenantObjects } from '../../../src/stores/tenant-objects.ts';
import { tenantVectors } from '../../../src/stores/tenant-vectors.ts';
import { documentObjectPrefix } from '../../../src/tenancy/storage-names.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import type { TestTenant } from './harness.ts';

export async function remainsOf(tenant: TestTenant, documentId: string) {
  const ctx = tenantContext(tenant.id);
  const rows = await admin().query(
    `select (select count(*)::int from documents where tenant_id = $1 and id = $2) as documents,
            (select count(*)::int from chunks where tenant_id = $1 and document_id = $2) as chunks,
            (select project_id from documents where tenant_id = $1 and id = $2) as project_id`,
    [tenant.id, documentId],
  );
  const row = rows[0] as { documents: number; chunks: number; project_id: string | null };
  // Vector ids are listed by the document's id prefix, whatever the project: a Set counts each once.
  const vectors = new Set<string>();
  let objects = 0;
  for (const projectId of tenant.projectIds) {
    const document = { projectId, id: documentId };
    for (const id of await tenantVectors(ctx, pineconeIndex(testSettings())).documentVectorIds(document)) {
      vectors.add(id);
    }
    const listing = await tenantObjects(ctx, testSettings()).listObjects({
      prefix: documentObjectPrefix(ctx, document),
    });
    objects += listing.keys.length;
  }
  return { documents: row.documents, chunks: row.chunks, vectors: vectors.size, objects };
}
