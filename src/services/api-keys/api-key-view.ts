// What a tenant admin sees of a key: an allow-list of fields, never the secret or its hash. The
// state is computed at read time from revoked_at and expires_at, the same rules resolve_api_key uses.
import type { listApiKeyRecords } from '../../db/repositories/api-key-records.ts';

export type ApiKeyRow = Awaited<ReturnType<typeof listApiKeyRecords>>[number];

export type ApiKeyState = 'active' | 'expired' | 'revoked';

export interface ApiKeyView {
  id: string;
  keyId: string;
  kind: 'publishable' | 'secret';
  scopes: string[];
  projects: 'all' | string[];
  label: string | null;
  state: ApiKeyState;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** To within a minute (src/services/api-keys/record-key-use.ts); null: not used since recorded. */
  lastUsedAt: string | null;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();

export function apiKeyView(row: ApiKeyRow, now = Date.now()): ApiKeyView {
  const expiresAt = iso(row.expiresAt);
  const state: ApiKeyState =
    row.revokedAt !== null ? 'revoked' : expiresAt !== null && Date.parse(expiresAt) <= now ? 'expired' : 'active';
  return {
    id: row.id,
    keyId: row.lookupId,
    kind: row.kind,
    scopes: row.scopes,
    projects: row.allProjects ? 'all' : row.projectIds,
    label: row.label,
    state,
    createdAt: iso(row.createdAt) as string,
    expiresAt,
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}
