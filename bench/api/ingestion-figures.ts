// Ingestion figures: a 1 MB markdown document through ingestText with the local embedder, timed,
// with Neon HTTP requests and Pinecone upserts counted at the local endpoints.
import type { Settings } from '../../src/config/settings.ts';
import { localEmbedder } from '../../src/embeddings/local-embedder.ts';
import { ingestText } from '../../src/services/ingestion/ingest-text.ts';
import { INGESTION_BATCH_SIZE } from '../../src/services/ingestion/run-ingestion.ts';
import { pineconeIndex } from '../../src/stores/pinecone-index.ts';
import { toTenantId } from '../../src/tenancy/context.ts';
import { chunkText } from '../../src/text/chunk-text.ts';
import type { memoryKv } from '../support/memory-bindings.ts';
import { round } from '../support/stats.ts';
import { type BenchTenant, TOPICS } from './seed-tenants.ts';

/** A 1 MB markdown document through ingestText with the local embedder. */
export async function ingestionFigures(
  settings: Settings,
  env: { CACHE: ReturnType<typeof memoryKv> },
  tenant: BenchTenant,
  /** Neon HTTP requests answered so far, counted by the local endpoint. */
  neonRequests: () => Promise<number>,
) {
  const section = (i: number) =>
    `## Section ${i}\n\n${Array.from({ length: 8 }, (_, s) => `Paragraph ${s} of section ${i} covers ${TOPICS[(i + s) % TOPICS.length]} for customers.`).join(' ')}\n\n`;
  let text = '# Handbook\n\n';
  for (let i = 0; new TextEncoder().encode(text).byteLength < 1_000_000; i++) text += section(i);
  let upserts = 0;
  const fetchApi = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).endsWith('/vectors/upsert')) upserts++;
    return fetch(input, init);
  }) as typeof fetch;
  const ctx = {
    tenantId: toTenantId(tenant.id),
    projectIds: 'all' as const,
    principal: { kind: 'secret_key' as const, id: tenant.keyId },
    scopes: new Set(['documents:write' as const]),
    features: {},
    limits: { requestsPerMinute: 1, burst: 1, maxDocuments: 1000, maxUploadBytes: 2_000_000, maxTopK: 20 },
  };
  const deps = {
    settings,
    requestId: 'bench',
    embedder: localEmbedder(),
    kv: env.CACHE as unknown as KVNamespace,
    pinecone: pineconeIndex(settings, { fetchApi }),
    chunking: { size: 1000, overlap: 150 },
  };
  const before = await neonRequests();
  const started = performance.now();
  const result = await ingestText({
    ctx,
    deps,
    input: { source: 'document', title: 'Handbook', text, projectId: tenant.project },
  });
  const seconds = (performance.now() - started) / 1000;
  const requests = (await neonRequests()) - before;
  if (result.status !== 'ready') throw new Error(`ingestion ended ${result.status}: ${result.failureReason}`);
  const chunks = chunkText(text, deps.chunking).length;
  const batches = Math.ceil(chunks / INGESTION_BATCH_SIZE);
  return {
    ingestionChunksPerSecond: round(chunks / seconds, 1),
    ingestionBench: { bytes: new TextEncoder().encode(text).byteLength, chunks, batches, seconds: round(seconds) },
    // Per batch: one Neon HTTP batch (chunks + progress event) and one Pinecone upsert; the whole
    // document adds three database round trips (row + queued, processing 0/N, trim + ready).
    ingestionRoundTripsPerBatch: { database: round(requests / batches, 2), pinecone: round(upserts / batches, 2) },
    ingestionRoundTripsTotal: { database: requests, pineconeUpserts: upserts },
  };
}
