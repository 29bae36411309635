// Which Embedder this Worker uses, from EMBEDDER and the bindings, checked once per isolate (by
// the composition root, src/http/service-deps.ts). Every way the choice cannot work — nothing
// chosen in production, the AI binding missing, vectors of a size the index does not hold — is a
// SettingsError naming the setting, which fails every route that embeds with 500 `misconfigured`
// instead of writing vectors the index would refuse.
import { type Settings, SettingsError } from '../config/settings.ts';
import type { Embedder } from './embedder.ts';
import { LOCAL_EMBEDDER_DIMENSION, localEmbedder } from './local-embedder.ts';
import { DEFAULT_PINECONE_EMBEDDING_MODEL, PINECONE_EMBEDDING_MODELS, pineconeEmbedder } from './pinecone-embedder.ts';
import { isWorkersAiBinding, workersAiEmbedder } from './workers-ai-embedder.ts';

/** The Worker's env: the choice reads its optional Workers AI binding, `AI`. */
export type EmbedderBindings = object;

export const aiBindingOf = (bindings: EmbedderBindings): unknown => (bindings as { AI?: unknown }).AI;

/** Built once per isolate by the composition root (src/http/service-deps.ts), not per request. */
export function chooseEmbedder(settings: Settings, bindings: EmbedderBindings): Embedder {
  // Development and tests run against the local index, sized for the local embedder.
  const choice = settings.EMBEDDER ?? (settings.ENVIRONMENT === 'production' ? undefined : 'local');
  const indexDimension = settings.PINECONE_INDEX_DIMENSION ?? LOCAL_EMBEDDER_DIMENSION;
  switch (choice) {
    case undefined:
      throw new SettingsError(
        'Invalid configuration: EMBEDDER is missing; set it to workers-ai, pinecone or local (lexical, for development). See .dev.vars.example.',
      );
    case 'local':
      return localEmbedder(indexDimension);
    case 'workers-ai': {
      const ai = aiBindingOf(bindings);
      if (!isWorkersAiBinding(ai)) {
        throw new SettingsError(
          'Invalid configuration: EMBEDDER=workers-ai needs the Workers AI binding: add [ai] binding = "AI" to wrangler.toml.',
        );
      }
      return matching(workersAiEmbedder(ai), indexDimension);
    }
    case 'pinecone': {
      const model = settings.PINECONE_EMBEDDING_MODEL ?? DEFAULT_PINECONE_EMBEDDING_MODEL;
      const shape = PINECONE_EMBEDDING_MODELS[model];
      if (!shape) {
        const known = Object.keys(PINECONE_EMBEDDING_MODELS).join(', ');
        throw new SettingsError(`Invalid configuration: PINECONE_EMBEDDING_MODEL must be one of ${known}.`);
      }
      if (!shape.dimensions.includes(indexDimension))
        throw mismatch(`pinecone:${model}`, shape.dimensions, indexDimension);
      return pineconeEmbedder({ apiKey: settings.PINECONE_API_KEY, model, dimension: indexDimension });
    }
  }
}

function matching(embedder: Embedder, indexDimension: number): Embedder {
  if (embedder.dimension !== indexDimension) throw mismatch(embedder.id, [embedder.dimension], indexDimension);
  return embedder;
}

function mismatch(id: string, produces: readonly number[], indexDimension: number): SettingsError {
  return new SettingsError(
    `Invalid configuration: EMBEDDER ${id} produces ${produces.join(' or ')}-dimensional vectors but PINECONE_INDEX_DIMENSION is ${indexDimension} (default ${LOCAL_EMBEDDER_DIMENSION}); they must match.`,
  );
}
