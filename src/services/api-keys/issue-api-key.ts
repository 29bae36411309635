// Issuing an API key inside a tenant's context: the admin API's POST /v1/api-keys and reroll, and
// the operator's "create tenant" flow (its first secret key). The key is minted here, its hash
// stored, and the whole key returned once: nothing can show it again.
// The row id is chosen here rather than by Postgres, so the key row and its project grants need no
// answer from one another and travel in one batch (withTenant) or one transaction alike.
import { insertApiKeyProjects, insertApiKeyRecord } from '../../db/repositories/api-key-records.ts';
import type { TenantScope } from '../../db/tenant-scope.ts';
import { ApiError } from '../../domain/api-error.ts';
import { type ApiKeyKind, mintApiKey } from '../../tenancy/api-key-format.ts';
import type { Scope } from '../../tenancy/context.ts';
import { PUBLISHABLE_SCOPES } from '../../tenancy/registry-schema.ts';

export interface IssueApiKeyInput {
  kind: ApiKeyKind;
  scopes: readonly Scope[];
  /** 'all' (every project of the tenant, present and future) or a non-empty list of its projects. */
  projects: 'all' | readonly string[];
  label?: string | null;
  expiresAt?: Date | null;
}

export interface IssuedApiKey {
  /** The row id: what the admin API names the key by (DELETE /v1/api-keys/{id}). */
  id: string;
  /** The public key id inside the key. */
  keyId: string;
  /** The whole key: shown once, never stored. */
  key: string;
  kind: ApiKeyKind;
  scopes: Scope[];
  projects: 'all' | string[];
  label: string | null;
  expiresAt: string | null;
}

/** A key minted and ready to insert; `statements` builds its writes for a batch or a transaction. */
export interface PreparedApiKey {
  issued: IssuedApiKey;
  statements: (scope: TenantScope) => [ReturnType<typeof insertApiKeyRecord>, ReturnType<typeof insertApiKeyProjects>];
}

/** Refuses what the registry would refuse: a publishable key with server scopes, no scope, no project. */
function assertIssuable(input: IssueApiKeyInput): void {
  if (input.scopes.length === 0) throw new ApiError('bad_request', 'scopes: at least one scope is required');
  if (input.kind === 'publishable') {
    const allowed = PUBLISHABLE_SCOPES as readonly string[];
    const extra = input.scopes.filter((scope) => !allowed.includes(scope));
    if (extra.length > 0) {
      throw new ApiError('bad_request', `scopes: a publishable key cannot hold ${extra.join(', ')}`);
    }
  }
  if (input.projects !== 'all' && input.projects.length === 0) {
    throw new ApiError('bad_request', "projects: name at least one project, or 'all'");
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new ApiError('bad_request', 'expiresAt: must be in the future');
  }
}

export async function prepareApiKey(input: IssueApiKeyInput): Promise<PreparedApiKey> {
  assertIssuable(input);
  const { key, keyId, hash } = await mintApiKey(input.kind);
  const id = crypto.randomUUID();
  const projects: 'all' | string[] = input.projects === 'all' ? 'all' : [...new Set(input.projects)];
  const record = {
    id,
    lookupId: keyId,
    secretHash: hash,
    kind: input.kind,
    scopes: [...new Set(input.scopes)],
    projects,
    label: input.label ?? null,
    expiresAt: input.expiresAt ?? null,
  };
  return {
    issued: {
      id,
      keyId,
      key,
      kind: input.kind,
      scopes: record.scopes,
      projects,
      label: record.label,
      expiresAt: record.expiresAt?.toISOString() ?? null,
    },
    statements: (scope) => [insertApiKeyRecord(scope, record), insertApiKeyProjects(scope, id, projects)],
  };
}

/**
 * Issues a key in `scope`, which must be a transaction's (withTenantTransaction): the two writes
 * are awaited one after the other. A project that is not the tenant's fails the foreign key, and
 * the caller's transaction with it.
 */
export async function issueApiKey(scope: TenantScope, input: IssueApiKeyInput): Promise<IssuedApiKey> {
  const prepared = await prepareApiKey(input);
  const [insertKey, insertProjects] = prepared.statements(scope);
  await insertKey;
  await insertProjects;
  return prepared.issued;
}
