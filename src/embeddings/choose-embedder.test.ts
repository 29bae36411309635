import { describe, expect, it } from 'vitest';
import { testSettings } from '../../test/worker/helpers/settings.ts';
import type { Settings } from '../config/settings.ts';
import { chooseEmbedder } from './choose-embedder.ts';

const settings = (overrides: Partial<Settings>): Settings => ({ ...testSettings(), ...overrides });
const ai = { run: async () => ({}) };
const choose = (overrides: Partial<Settings>, bindings: object = {}) => chooseEmbedder(settings(overrides), bindings);

describe('chooseEmbedder', () => {
  it('defaults to the local 384-dimensional embedder outside production', () => {
    expect(choose({ ENVIRONMENT: 'test' })).toMatchObject({ id: 'local-lexical-384', dimension: 384 });
    expect(choose({ ENVIRONMENT: 'development' }).dimension).toBe(384);
  });

  it('refuses to start in production when none is configured, naming the setting', () => {
    expect(() => choose({ ENVIRONMENT: 'production' })).toThrow(/EMBEDDER is missing/);
    expect(choose({ ENVIRONMENT: 'production', EMBEDDER: 'local' }).id).toBe('local-lexical-384');
  });

  it('workers-ai needs the AI binding and a 768-dimensional index', () => {
    expect(() => choose({ EMBEDDER: 'workers-ai' })).toThrow(/needs the Workers AI binding/);
    expect(() => choose({ EMBEDDER: 'workers-ai' }, { AI: ai })).toThrow(/produces 768-dimensional .* is 384/);
    const embedder = choose({ EMBEDDER: 'workers-ai', PINECONE_INDEX_DIMENSION: 768 }, { AI: ai });
    expect(embedder).toMatchObject({ id: 'workers-ai:@cf/baai/bge-base-en-v1.5', dimension: 768 });
  });

  it('pinecone checks the model and its dimensions against the index', () => {
    expect(choose({ EMBEDDER: 'pinecone' })).toMatchObject({ id: 'pinecone:llama-text-embed-v2', dimension: 384 });
    expect(() => choose({ EMBEDDER: 'pinecone', PINECONE_EMBEDDING_MODEL: 'multilingual-e5-large' })).toThrow(
      /produces 1024-dimensional/,
    );
    expect(() => choose({ EMBEDDER: 'pinecone', PINECONE_EMBEDDING_MODEL: 'text-embedding-3' })).toThrow(
      /PINECONE_EMBEDDING_MODEL must be one of/,
    );
  });
});
