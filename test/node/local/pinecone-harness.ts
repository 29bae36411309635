// Starts local Pinecone servers for a test file and points the real v9 client at them.
import { type Index, Pinecone } from '@pinecone-database/pinecone';
import { afterEach } from 'vitest';
import { type LocalPinecone, type LocalPineconeOptions, startLocalPinecone } from '../../../local/pinecone/server.ts';

export const API_KEY = 'local-test-key';

export function useLocalPinecone() {
  const servers: LocalPinecone[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (options: Partial<LocalPineconeOptions> = {}): Promise<{ server: LocalPinecone; index: Index }> => {
    const server = await startLocalPinecone({ apiKey: API_KEY, dimension: 3, ...options });
    servers.push(server);
    return { server, index: indexAt(server.host) };
  };
}

export function indexAt(host: string, apiKey = API_KEY): Index {
  return new Pinecone({ apiKey }).index({ name: 'bulkhead-local', host });
}

/** The error a call failed with; fails the test when it succeeded. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}
