// What every fuzzed answer must satisfy: no 5xx; an error is the one envelope with a closed code
// whose status matches (src/domain/api-error.ts); Cache-Control: private, no-store; nothing of
// another tenant (its canary, or any id seen as another tenant's) unless this request carried it.
import { ERROR_STATUS } from '../../../src/domain/api-error.ts';
import type { FuzzRequest } from './requests.ts';

export type Violation = 'status5xx' | 'envelope' | 'cacheControl' | 'leak' | 'stateChange';

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Who owns which id and canary, learned from the planted data and from every 2xx answer. */
export class Ownership {
  readonly #owner = new Map<string, number>();
  /** Per caller, the ids it has sent itself: its own audit log rightly echoes them later. */
  readonly #sent = new Map<number, Set<string>>();
  readonly #canaries: string[];
  readonly #secrets: string[][];

  constructor(tenants: Array<{ canary: string; ids: string[]; secrets: string[] }>) {
    this.#canaries = tenants.map((t) => t.canary);
    this.#secrets = tenants.map((t) => t.secrets);
    tenants.forEach((t, index) => {
      for (const id of t.ids) this.#owner.set(id.toLowerCase(), index);
    });
  }

  /** Ids first seen in a caller's 2xx answer become the caller's. */
  learn(caller: number, text: string) {
    for (const id of text.match(UUIDS) ?? []) {
      const lower = id.toLowerCase();
      if (!this.#owner.has(lower)) this.#owner.set(lower, caller);
    }
  }

  /**
   * Only the ids of the request being answered are the caller's own input. An id it sent earlier
   * (another tenant's, in a refused probe) must not come back later, e.g. in its audit log: that
   * would confirm what the probe was refused.
   */
  sent(caller: number, request: string) {
    const sent = new Set<string>();
    for (const id of request.match(UUIDS) ?? []) sent.add(id.toLowerCase());
    this.#sent.set(caller, sent);
  }

  /** What in `text` belongs to a tenant other than the caller and the caller never sent. */
  foreignIn(caller: number, text: string, request: string): string[] {
    const found: string[] = [];
    const known = this.#sent.get(caller);
    for (const id of text.match(UUIDS) ?? []) {
      const lower = id.toLowerCase();
      const owner = this.#owner.get(lower);
      if (owner !== undefined && owner !== caller && !known?.has(lower)) found.push(id);
    }
    this.#canaries.forEach((canary, owner) => {
      if (owner !== caller && text.includes(canary) && !request.includes(canary)) found.push(canary);
    });
    this.#secrets.forEach((secrets, owner) => {
      if (owner === caller) return;
      for (const secret of secrets) if (text.includes(secret) && !request.includes(secret)) found.push('(a key)');
    });
    return found;
  }
}

export function requestText(request: FuzzRequest) {
  return `${request.url}\n${JSON.stringify(request.headers)}\n${request.body ?? ''}`;
}

/** The violations of one answer (its body already read as text). */
export function judge(request: FuzzRequest, res: Response, text: string, ownership: Ownership): Violation[] {
  const violations: Violation[] = [];
  ownership.sent(request.callerIndex, requestText(request));
  if (res.status >= 500) violations.push('status5xx');
  if (res.headers.get('cache-control') !== 'private, no-store') violations.push('cacheControl');
  if (res.status >= 400 && request.method !== 'HEAD' && !isEnvelope(res.status, text)) violations.push('envelope');
  const everything = `${text}\n${[...res.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}`;
  if (ownership.foreignIn(request.callerIndex, everything, requestText(request)).length) violations.push('leak');
  return violations;
}

function isEnvelope(status: number, text: string): boolean {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
    const code = body.error?.code;
    return (
      typeof code === 'string' &&
      Object.hasOwn(ERROR_STATUS, code) &&
      ERROR_STATUS[code as keyof typeof ERROR_STATUS] === status &&
      typeof body.error?.message === 'string' &&
      typeof body.error?.requestId === 'string'
    );
  } catch {
    return false;
  }
}
