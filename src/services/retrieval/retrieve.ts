// POST /v1/query, and the context step of every chat answer. The query is embedded, matched in the
// tenant's own namespace (through the tenant's KV cache of ids and scores), and the matching chunks'
// text is read from Postgres under RLS in one batch with the retrieval log and its audit row. A
// cached or stale id that the tenant cannot see any more simply yields no chunk, and so does a
// match scoring below the tenant's `limits.minRetrievalScore`: an unrelated question retrieves
// nothing rather than the least unrelated chunks.

import {
  chunksAtPositions,
  logRetrievalWithAudit,
  type ScoredPosition,
} from '../../db/repositories/chunk-positions.ts';
import { withTenant } from '../../db/with-tenant.ts';
import { ApiError, notFound } from '../../domain/api-error.ts';
import { embedTexts } from '../../embeddings/embedder.ts';
import { retrievalCache } from '../../stores/retrieval-cache.ts';
import { tenantVectors } from '../../stores/tenant-vectors.ts';
import { minRetrievalScore } from '../../tenancy/context.ts';
import { parseVectorId } from '../../tenancy/storage-names.ts';
import { recordAccessDenial } from '../access-denial.ts';
import { accessEntry } from '../audit.ts';
import { resolveProjectId } from '../projects.ts';
import type { ServiceCall } from '../service-deps.ts';

export interface RetrieveInput {
  query: string;
  topK: number;
  projectId?: string;
  /** Set when the retrieval serves a conversation, for the log. */
  conversationId?: string;
}

export interface RetrievedChunk {
  documentId: string;
  chunkIndex: number;
  title: string;
  text: string;
  score: number;
}

export async function retrieve({ ctx, deps, input }: ServiceCall<RetrieveInput>) {
  if (input.topK > ctx.limits.maxTopK) {
    // Audited like any refusal of a provisioned limit (docs/threat-model.md T49); after the rate
    // limit, so a flood of these is bounded by the tenant's own request rate.
    await recordAccessDenial({
      ctx,
      deps,
      input: { route: 'retrieval', detail: { limit: 'maxTopK', max: String(ctx.limits.maxTopK) } },
    }).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', event: 'audit.denial_unrecorded', error: String(error) }));
    });
    throw new ApiError('bad_request', `topK: must be at most ${ctx.limits.maxTopK}`);
  }
  const projectId = await resolveProjectId({ ctx, deps, input: input.projectId });
  const cache = retrievalCache(ctx, deps.kv);
  const query = { projectId, query: input.query, topK: input.topK, embedder: deps.embedder };
  const read = await cache.readThrough(query, async () => {
    const [vector] = await embedTexts(deps.embedder, [input.query], 'query');
    return tenantVectors(ctx, deps.pinecone).query({ projectId, vector: vector as number[], topK: input.topK });
  });
  const { matches } = read;
  // Filtered after the cache, so a changed minimum applies to cached matches too; a NaN score fails it.
  const minimum = minRetrievalScore(ctx);
  const relevant = matches.filter((match) => match.score >= minimum);
  const positions: ScoredPosition[] = relevant.flatMap((match) => {
    const parsed = parseVectorId(match.id);
    return parsed ? [{ ...parsed, score: match.score }] : [];
  });
  const [chunkRows, logged] = await withTenant(ctx, deps.settings, (scope) => [
    chunksAtPositions(scope, projectId, positions),
    logRetrievalWithAudit(
      scope,
      { projectId, conversationId: input.conversationId, query: input.query, topK: input.topK, matches: positions },
      accessEntry(ctx, deps, {
        action: 'retrieval.query',
        projectId,
        targetType: 'project',
        targetId: projectId,
        detail: {
          topK: input.topK,
          matches: positions.length,
          belowMinScore: matches.length - relevant.length,
          conversationId: input.conversationId ?? null,
        },
      }),
    ),
  ]);
  // Decided in the same batch: a project that is not this tenant's is missing, not an empty result.
  if (logged.rows[0]?.outcome !== 'allowed') throw notFound();
  // Only now is the project known to be visible: no entry is ever written for one that is not.
  if (deps.background) deps.background(read.remember());
  else await read.remember();
  const byPosition = new Map(chunkRows.rows.map((row) => [`${row.documentId}/${row.chunkIndex}`, row]));
  const results: RetrievedChunk[] = positions.flatMap((position) => {
    const row = byPosition.get(`${position.documentId}/${position.chunkIndex}`);
    return row
      ? [
          {
            documentId: row.documentId,
            chunkIndex: row.chunkIndex,
            title: row.title,
            text: row.content,
            score: position.score,
          },
        ]
      : [];
  });
  return { projectId, results };
}
