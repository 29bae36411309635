// The Workers AI and Pinecone Inference embedders against stand-ins speaking their real shapes:
// what each sends, what it returns, and a failure of the service as a 503, not a 500.
import { describe, expect, it } from 'vitest';
import { embedTexts } from './embedder.ts';
import { pineconeEmbedder } from './pinecone-embedder.ts';
import { type WorkersAiBinding, workersAiEmbedder } from './workers-ai-embedder.ts';

const vectorOf = (size: number, value = 3) => Array.from({ length: size }, () => value);

describe('Workers AI embedder', () => {
  it('sends bge-base-en-v1.5 with cls pooling, instructs queries and normalises', async () => {
    const calls: Array<{ model: string; input: Record<string, unknown> }> = [];
    const ai: WorkersAiBinding = {
      run: async (model, input) => {
        calls.push({ model, input });
        const texts = input.text as string[];
        return { shape: [texts.length, 768], data: texts.map(() => vectorOf(768)) };
      },
    };
    const [vector] = await embedTexts(workersAiEmbedder(ai), ['refund policy'], 'query');
    expect(calls[0]?.model).toBe('@cf/baai/bge-base-en-v1.5');
    expect(calls[0]?.input.pooling).toBe('cls');
    expect((calls[0]?.input.text as string[] | undefined)?.[0]).toMatch(/^Represent this sentence .*refund policy$/);
    expect(vector?.[0]).toBeCloseTo(1 / Math.sqrt(768), 10);
    await embedTexts(
      workersAiEmbedder(ai),
      Array.from({ length: 150 }, () => 'passage'),
      'document',
    );
    expect(calls.slice(1).map((call) => (call.input.text as string[]).length)).toEqual([100, 50]);
    expect((calls[1]?.input.text as string[] | undefined)?.[0]).toBe('passage');
  });

  it('turns a failing binding into 503 unavailable', async () => {
    const ai: WorkersAiBinding = {
      run: async () => {
        throw new Error('3040: capacity exceeded');
      },
    };
    await expect(embedTexts(workersAiEmbedder(ai), ['x'], 'query')).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('Pinecone Inference embedder', () => {
  function fakeInference(answer: (body: Record<string, unknown>) => Response) {
    const bodies: Array<Record<string, unknown>> = [];
    const fetchApi = (async (input: RequestInfo | URL, init?: RequestInit) => {
      expect(String(input)).toBe('https://api.pinecone.io/embed');
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      bodies.push(body);
      return answer(body);
    }) as typeof fetch;
    return { fetchApi, bodies };
  }
  const dense = (body: Record<string, unknown>, size: number) =>
    Response.json({
      model: body.model,
      vector_type: 'dense',
      data: (body.inputs as unknown[]).map(() => ({ vector_type: 'dense', values: vectorOf(size, 0.5) })),
      usage: { total_tokens: 3 },
    });

  it('asks llama-text-embed-v2 for the index dimension, passage or query', async () => {
    const { fetchApi, bodies } = fakeInference((body) => dense(body, 384));
    const embedder = pineconeEmbedder({ apiKey: 'k', model: 'llama-text-embed-v2', dimension: 384, fetchApi });
    const vectors = await embedTexts(embedder, ['a', 'b'], 'document');
    expect(vectors).toHaveLength(2);
    expect(bodies[0]).toMatchObject({
      model: 'llama-text-embed-v2',
      inputs: [{ text: 'a' }, { text: 'b' }],
      parameters: { input_type: 'passage', truncate: 'END', dimension: 384 },
    });
    await embedTexts(embedder, ['q'], 'query');
    expect(bodies[1]?.parameters).toMatchObject({ input_type: 'query' });
  });

  it('refuses a model that cannot produce the dimension, and maps an outage to 503', async () => {
    const { fetchApi } = fakeInference(() => new Response('{"error":{"message":"down"}}', { status: 503 }));
    expect(() => pineconeEmbedder({ apiKey: 'k', model: 'multilingual-e5-large', dimension: 384, fetchApi })).toThrow(
      /cannot produce 384/,
    );
    const embedder = pineconeEmbedder({ apiKey: 'k', model: 'multilingual-e5-large', dimension: 1024, fetchApi });
    await expect(embedTexts(embedder, ['x'], 'query')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
