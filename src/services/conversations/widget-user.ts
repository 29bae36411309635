// Who a conversation belongs to. A widget end user is anonymous: the first conversation issues a
// signed token, `wu_{random}.{signature}`: 256 random bits and HMAC-SHA256(random + tenantId) under
// WIDGET_USER_SECRET, both base64url. The widget keeps it and sends it back as `x-widget-user`.
// A token is honoured only if its signature verifies (crypto.subtle.verify, constant time) for the
// tenant the request resolved to, so nobody can choose an id, and an id of tenant A means nothing
// on tenant B. Any token the server did not issue answers exactly like one that owns nothing. Only
// the token's SHA-256 is stored, so the database never holds a usable token. Widget callers and
// signed-in end users see only their own conversations; server-side principals (secret keys) see
// the tenant's.
import type { EndUserFilter } from '../../db/repositories/conversation-records.ts';
import { ApiError } from '../../domain/api-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { sha256Hex } from '../../tenancy/sha256.ts';

export const WIDGET_USER_HEADER = 'x-widget-user';
const TOKEN = /^wu_([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const imported = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    key = imported;
    keys.set(secret, key); // one secret per Worker (a test may sign with a second one)
    imported.catch(() => keys.delete(secret));
  }
  return key;
}

/** What is signed: the random part, then the tenant the token is issued for. */
const signed = (random: string, tenantId: string) => encoder.encode(`${random}${tenantId}`);

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** A new widget user id for `tenantId`, signed with the Worker's WIDGET_USER_SECRET. */
export async function mintWidgetUser(secret: string, tenantId: string): Promise<string> {
  const random = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), signed(random, tenantId));
  return `wu_${random}.${base64url(new Uint8Array(signature))}`;
}

/** Whether this server issued `token` for `tenantId`. Malformed tokens are refused by shape alone. */
export async function isIssuedWidgetUser(secret: string, tenantId: string, token: string): Promise<boolean> {
  const match = TOKEN.exec(token);
  if (!match) return false;
  const [, random, signature] = match as unknown as [string, string, string];
  const mac = fromBase64url(signature);
  // 43 base64url characters carry 258 bits: only the canonical encoding of 32 bytes is accepted.
  if (mac.length !== 32 || base64url(mac) !== signature) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secret), mac, signed(random, tenantId));
}

const stored = (token: string) => `widget:${sha256Hex(token)}`;

export interface EndUser {
  /** Written on a new conversation. */
  endUserId: string | null;
  /** Which conversations this caller may read. */
  filter: EndUserFilter;
  /** A token issued by this call, returned once to the widget. */
  issued?: string;
}

interface WidgetUserInput {
  ctx: TenantContext;
  secret: string;
  presented: string | undefined;
}

async function verified({ ctx, secret, presented }: WidgetUserInput): Promise<string | undefined> {
  if (presented === undefined) return undefined;
  return (await isIssuedWidgetUser(secret, ctx.tenantId, presented)) ? presented : undefined;
}

function endUserOf(ctx: TenantContext, widgetUser: string | undefined): EndUser {
  const widget = widgetUser === undefined ? undefined : stored(widgetUser);
  switch (ctx.principal.kind) {
    case 'publishable_key':
      return { endUserId: widget ?? null, filter: widget ?? 'widget:none' };
    case 'user':
      return { endUserId: `user:${ctx.principal.id}`, filter: `user:${ctx.principal.id}` };
    default:
      return { endUserId: widget ?? null, filter: undefined };
  }
}

/** For reading: a widget caller without a token this server issued owns nothing (a filter that
 * matches no row), so a forged token answers exactly like a valid one with no conversations. */
export async function endUserFor(input: WidgetUserInput): Promise<EndUser> {
  return endUserOf(input.ctx, await verified(input));
}

/** For starting a conversation: a widget caller without a token gets a new one; a token this server
 * did not issue for this tenant is refused, whatever its shape. */
export async function endUserForNewConversation(input: WidgetUserInput): Promise<EndUser> {
  const { ctx, secret, presented } = input;
  const widgetUser = await verified(input);
  if (presented !== undefined && widgetUser === undefined) {
    throw new ApiError('bad_request', `${WIDGET_USER_HEADER}: not a widget user id this API issued`);
  }
  if (ctx.principal.kind === 'publishable_key' && presented === undefined) {
    const issued = await mintWidgetUser(secret, ctx.tenantId);
    return { ...endUserOf(ctx, issued), issued };
  }
  return endUserOf(ctx, widgetUser);
}
