// Who a conversation belongs to. A widget end user is anonymous: the first conversation issues a
// random token (`wu_…`, 256 bits) that the widget keeps and sends back as `x-widget-user`; only its
// SHA-256 is stored, so the database never holds a usable token. Widget callers and signed-in end
// users see only their own conversations; server-side principals (secret keys) see the tenant's.
import type { EndUserFilter } from '../../db/repositories/conversation-records.ts';
import { ApiError } from '../../domain/api-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { sha256Hex } from '../../tenancy/sha256.ts';

export const WIDGET_USER_HEADER = 'x-widget-user';
const TOKEN = /^wu_[A-Za-z0-9_-]{43}$/;

export function mintWidgetUser(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `wu_${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
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

/** For reading: a widget caller without a valid token owns nothing (filter that matches no row). */
export function endUserFor(ctx: TenantContext, presented: string | undefined): EndUser {
  const widget = presented !== undefined && TOKEN.test(presented) ? stored(presented) : undefined;
  switch (ctx.principal.kind) {
    case 'publishable_key':
      return { endUserId: widget ?? null, filter: widget ?? 'widget:none' };
    case 'user':
      return { endUserId: `user:${ctx.principal.id}`, filter: `user:${ctx.principal.id}` };
    default:
      return { endUserId: widget ?? null, filter: undefined };
  }
}

/** For starting a conversation: a widget caller without a token gets a new one. */
export function endUserForNewConversation(ctx: TenantContext, presented: string | undefined): EndUser {
  if (presented !== undefined && !TOKEN.test(presented)) {
    throw new ApiError('bad_request', `${WIDGET_USER_HEADER}: not a widget user id this API issued`);
  }
  if (ctx.principal.kind === 'publishable_key' && presented === undefined) {
    const issued = mintWidgetUser();
    return { ...endUserFor(ctx, issued), issued };
  }
  return endUserFor(ctx, presented);
}
