// A tenant's vectors in Pinecone. The namespace comes from the context and nothing else.
//
// One namespace per tenant, not per (tenant, project). Pinecone caps namespaces per serverless
// index at 100 (Starter), 1,000 (Builder) and 100,000 (Standard/Enterprise): per tenant, the
// namespace count is the tenant count, so a Builder index holds 1,000 tenants instead of 1,000
// projects in total, and erasing a tenant is one namespace delete. A query still reads only its
// tenant's namespace (about 1 RU, against ~100 RU for a metadata filter over many tenants);
// projects are told apart inside it by a `projectId` metadata filter, which only narrows what
// the namespace already limits. Per-project namespaces would only pay off for tenants whose
// projects are each very large, and would cost a namespace list or loop to erase a tenant.
//
// It returns ids and scores only: chunk text comes from Postgres under RLS, never from metadata.
import type { ListResponse } from '@pinecone-database/pinecone';
import { ApiError } from '../domain/api-error.ts';
import type { TenantContext } from '../tenancy/context.ts';
import {
  type DocumentIdentity,
  documentVectorPrefix,
  parseVectorId,
  tenantNamespace,
  type VectorId,
  vectorId,
} from '../tenancy/storage-names.ts';
import { isNotFound, reachPinecone } from './pinecone-failures.ts';
import type { PineconeIndex } from './pinecone-index.ts';
import { assertProjectInScope } from './project-scope.ts';
import { upsertBatches } from './vector-batches.ts';

const MAX_IDS_PER_DELETE = 1000;
const LIST_PAGE_SIZE = 100;

export interface ChunkVector {
  chunkIndex: number;
  values: number[];
}

export interface VectorQuery {
  projectId: string;
  vector: number[];
  /** Capped at the tenant's `limits.maxTopK`. */
  topK: number;
}

export interface VectorMatch {
  id: VectorId;
  score: number;
}

export function tenantVectors(ctx: TenantContext, index: PineconeIndex) {
  const namespace = tenantNamespace(ctx); // throws without a valid context, before any request
  // The client would send "__default__" for an empty name: a shared namespace is never an option.
  if (typeof namespace !== 'string' || namespace.trim() === '' || namespace === '__default__') {
    throw new Error('refusing to use the default Pinecone namespace');
  }
  const scoped = index.namespace(namespace);

  async function documentVectorIds(document: DocumentIdentity): Promise<string[]> {
    assertProjectInScope(ctx, document.projectId);
    const prefix = documentVectorPrefix(document.id);
    const ids: string[] = [];
    let paginationToken: string | undefined;
    do {
      const page = await reachPinecone(() =>
        scoped.listPaginated({ prefix, limit: LIST_PAGE_SIZE, paginationToken }),
      ).catch((error: unknown): ListResponse => {
        alreadyGone(error); // a namespace that holds nothing may answer 404
        return { vectors: [] };
      });
      for (const { id } of page.vectors ?? []) if (id?.startsWith(prefix)) ids.push(id);
      paginationToken = page.pagination?.next;
    } while (paginationToken);
    return ids;
  }

  return {
    namespace,
    documentVectorIds,

    /** Idempotent: ids are `{documentId}#{chunkIndex}`, so a retried ingestion overwrites itself. */
    async upsertDocument(document: DocumentIdentity, chunks: readonly ChunkVector[]): Promise<number> {
      assertProjectInScope(ctx, document.projectId);
      const records = chunks.map(({ chunkIndex, values }) => ({
        id: vectorId(document.id, chunkIndex),
        values,
        // Checked on every match; never text (that stays in Postgres under RLS).
        metadata: { tenantId: ctx.tenantId, projectId: document.projectId, documentId: document.id, chunkIndex },
      }));
      for (const batch of upsertBatches(records)) await reachPinecone(() => scoped.upsert({ records: batch }));
      return records.length;
    },

    async query({ projectId, vector, topK }: VectorQuery): Promise<VectorMatch[]> {
      assertProjectInScope(ctx, projectId);
      if (!Number.isInteger(topK) || topK < 1) throw new ApiError('bad_request', 'topK must be a whole number ≥ 1');
      const result = await reachPinecone(() =>
        scoped.query({
          vector,
          topK: Math.min(topK, ctx.limits.maxTopK),
          filter: { projectId: { $eq: projectId } },
          includeMetadata: true,
          includeValues: false,
        }),
      );
      return result.matches.flatMap((match) => {
        const parsed = parseVectorId(match.id);
        const metadata = match.metadata;
        const ours =
          parsed !== undefined &&
          metadata?.tenantId === ctx.tenantId &&
          metadata.projectId === projectId &&
          metadata.documentId === parsed.documentId;
        if (ours) return [{ id: vectorId(parsed.documentId, parsed.chunkIndex), score: match.score ?? 0 }];
        // Should be impossible in our own namespace; if it happens, it is a leak caught, not served.
        console.warn(
          JSON.stringify({ level: 'warn', event: 'vectors.foreign_match_dropped', namespace, id: match.id }),
        );
        return [];
      });
    },

    /**
     * Deletes a document's vectors, found by id prefix, from chunk index `fromIndex` on (all of them
     * by default); returns how many there were.
     */
    async deleteDocument(document: DocumentIdentity, fromIndex = 0): Promise<number> {
      const ids = (await documentVectorIds(document)).filter(
        (id) => (parseVectorId(id)?.chunkIndex ?? Number.POSITIVE_INFINITY) >= fromIndex,
      );
      for (let start = 0; start < ids.length; start += MAX_IDS_PER_DELETE) {
        const batch = ids.slice(start, start + MAX_IDS_PER_DELETE);
        await reachPinecone(() => scoped.deleteMany({ ids: batch })).catch(alreadyGone);
      }
      return ids.length;
    },

    /** Every vector id left in the namespace, counted page by page: erasure's verification (a 404 is 0). */
    async countAll(): Promise<number> {
      let count = 0;
      let paginationToken: string | undefined;
      do {
        const page = await reachPinecone(() => scoped.listPaginated({ limit: LIST_PAGE_SIZE, paginationToken })).catch(
          (error: unknown): ListResponse => {
            alreadyGone(error);
            return { vectors: [] };
          },
        );
        count += page.vectors?.length ?? 0;
        paginationToken = page.pagination?.next;
      } while (paginationToken);
      return count;
    },

    /** Erasure: the whole namespace. Already gone (404) is success, so a re-run finishes. */
    async deleteAll(): Promise<void> {
      await reachPinecone(() => scoped.deleteNamespace(namespace)).catch(alreadyGone);
    },
  };
}

export type TenantVectors = ReturnType<typeof tenantVectors>;

// Serverless Pinecone answers 404 for a delete in a namespace that holds nothing.
function alreadyGone(error: unknown): void {
  if (!isNotFound(error)) throw error;
}
