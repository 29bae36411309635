// The three database roles. Created by the first (hand-written) migration, referenced here only
// so that policies can name them; drizzle-kit must never try to create or drop them.
import { pgRole } from 'drizzle-orm/pg-core';

/** Owns every table and type; migrations run as it. NOLOGIN, NOBYPASSRLS: FORCE applies to it too. */
export const MIGRATION_ROLE = 'bulkhead_owner';
/** What the Worker connects as: rows under RLS, nothing else. */
export const RUNTIME_ROLE = 'bulkhead_app';
/** Owns the one SECURITY DEFINER function (API-key lookup before a tenant is known). */
export const KEY_RESOLVER_ROLE = 'bulkhead_key_resolver';

export const keyResolverRole = pgRole(KEY_RESOLVER_ROLE).existing();
