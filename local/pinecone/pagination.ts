// Pinecone pagination tokens are opaque; here one carries the last key of the previous page, so a
// page stays correct when records are added or removed between calls.
import { badRequest } from './errors.ts';

export interface Page {
  items: string[];
  /** Token for the next page; absent on the last one, as Pinecone omits `pagination` there. */
  next?: string;
}

/** One page of `sortedKeys`, resuming after the key a previous page's token names. */
export function page(sortedKeys: string[], limit: number, token: string | null): Page {
  const after = token ? keyIn(token) : undefined;
  const start = after === undefined ? 0 : sortedKeys.findIndex((key) => key > after);
  const rest = start === -1 ? [] : sortedKeys.slice(start);
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return rest.length > limit && last !== undefined ? { items, next: tokenFor(last) } : { items };
}

function tokenFor(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

function keyIn(token: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') return after;
  } catch {
    // reported below, like any other token this server did not issue
  }
  throw badRequest('invalid pagination token');
}
