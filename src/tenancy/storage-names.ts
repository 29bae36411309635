// Every tenant-derived name in the side stores — KV keys, Pinecone namespaces, object keys — is
// made here and nowhere else (test/node/stores/storage-name-construction.test.ts scans src/ for
// other constructions). The branded results make a hand-made string a type error at each store.

import { ApiError } from '../domain/api-error.ts';
import { UUID_PATTERN } from '../domain/uuid.ts';
import { type TenantContext, type TenantId, toTenantId } from './context.ts';

declare const storageName: unique symbol;
type StorageName<Kind extends string> = string & { readonly [storageName]: Kind };
/** `t:{tenantId}:{purpose}:{part}…` */
export type CacheKey = StorageName<'CacheKey'>;
/** `t:{tenantId}:`, ending in ':' so tenant 1 never lists tenant 10. */
export type CachePrefix = StorageName<'CachePrefix'>;
export type VectorNamespace = StorageName<'VectorNamespace'>;
/** `{documentId}#{chunkIndex}`: deterministic, so re-ingesting overwrites instead of duplicating. */
export type VectorId = StorageName<'VectorId'>;
export type ObjectKey = StorageName<'ObjectKey'>;
/** Always ends in '/', for the same reason as CachePrefix. */
export type ObjectPrefix = StorageName<'ObjectPrefix'>;

/** What a name needs from the context; a full TenantContext is one. */
export type TenantScoped = Pick<TenantContext, 'tenantId'>;
export type CachePurpose = 'api-key' | 'retrieval' | 'generation';
/** The identity of a document as the database returned it. */
export interface DocumentIdentity {
  readonly projectId: string;
  readonly id: string;
}

const CACHE_PART = /^[A-Za-z0-9._~-]{1,128}$/;
const MAX_FILENAME_BYTES = 255;
const MAX_CHUNK_INDEX = 999_999_999;
// Letters, digits and marks of any script, space, and punctuation that means nothing to a path or
// a URL. No '/', '\', '%', ':', control or format characters: every traversal and encoding trick
// needs one of those, so they are refused rather than escaped.
const FILENAME = /^[\p{L}\p{N}\p{M} ._()[\]+,=@~&'!-]+$/u;

/** The tenant id, checked again at run time: a cast or a JavaScript caller can bypass the type. */
function tenantOf(ctx: TenantScoped | undefined): TenantId {
  const tenantId = ctx?.tenantId;
  if (typeof tenantId !== 'string' || !UUID_PATTERN.test(tenantId)) throw new Error('a tenant context is required');
  return toTenantId(tenantId);
}

function uuidOf(value: string, what: string): string {
  if (!UUID_PATTERN.test(value)) throw new Error(`${what} must be a lower-case uuid`);
  return value;
}

export function tenantCachePrefix(ctx: TenantScoped): CachePrefix {
  return `t:${tenantOf(ctx)}:` as CachePrefix;
}

export function cacheKey(ctx: TenantScoped, purpose: CachePurpose, parts: readonly string[]): CacheKey {
  if (parts.length === 0 || !parts.every((part) => CACHE_PART.test(part))) {
    throw new Error('cache key parts must be 1–128 characters of [A-Za-z0-9._~-]');
  }
  return `${tenantCachePrefix(ctx)}${purpose}:${parts.join(':')}` as CacheKey;
}

/** A key that KV listed under this tenant's prefix; undefined for anything else. */
export function listedCacheKey(ctx: TenantScoped, name: string): CacheKey | undefined {
  return name.startsWith(tenantCachePrefix(ctx)) ? (name as CacheKey) : undefined;
}

/** Per tenant, not per project: see the namespace note in src/stores/tenant-vectors.ts. */
export function tenantNamespace(ctx: TenantScoped): VectorNamespace {
  return `tenant-${tenantOf(ctx)}` as VectorNamespace;
}

export function vectorId(documentId: string, chunkIndex: number): VectorId {
  if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex > MAX_CHUNK_INDEX) {
    throw new Error(`chunk index must be a whole number from 0 to ${MAX_CHUNK_INDEX}`);
  }
  return `${uuidOf(documentId, 'document id')}#${chunkIndex}` as VectorId;
}

/** The id prefix of all of a document's vectors; the '#' keeps one document from matching another. */
export function documentVectorPrefix(documentId: string): string {
  return `${uuidOf(documentId, 'document id')}#`;
}

export function parseVectorId(id: string): { documentId: string; chunkIndex: number } | undefined {
  const match = /^([0-9a-f-]{36})#(0|[1-9][0-9]{0,8})$/.exec(id);
  if (!match || !UUID_PATTERN.test(`${match[1]}`)) return undefined;
  return { documentId: `${match[1]}`, chunkIndex: Number(match[2]) };
}

export function tenantObjectPrefix(ctx: TenantScoped): ObjectPrefix {
  return `tenants/${tenantOf(ctx)}/` as ObjectPrefix;
}

export function documentObjectPrefix(ctx: TenantScoped, document: DocumentIdentity): ObjectPrefix {
  const project = uuidOf(document.projectId, 'project id');
  return `${tenantObjectPrefix(ctx)}projects/${project}/documents/${uuidOf(document.id, 'document id')}/` as ObjectPrefix;
}

/** Rejects (400) every name that is not plainly a file name; returns the name as stored (NFC). */
export function sanitiseFilename(raw: unknown): string {
  if (typeof raw !== 'string') throw badFilename('must be a string');
  const name = raw.normalize('NFC');
  const bytes = new TextEncoder().encode(name).byteLength;
  if (bytes === 0 || bytes > MAX_FILENAME_BYTES) throw badFilename(`must be 1–${MAX_FILENAME_BYTES} bytes long`);
  // The compatibility form too: a downstream consumer that applies NFKC must not find a '/' or '..'.
  for (const form of [name, name.normalize('NFKC')]) {
    if (!FILENAME.test(form))
      throw badFilename("may hold only letters, digits, spaces and . _ - ( ) [ ] + , = @ ~ & ' !");
    if (form.includes('..') || form.startsWith('.')) throw badFilename('must not start with a dot or contain ".."');
    if (form !== form.trim() || form.endsWith('.'))
      throw badFilename('must not start or end with a space or end with a dot');
  }
  return name;
}

export function documentObjectKey(ctx: TenantScoped, document: DocumentIdentity, filename: unknown): ObjectKey {
  return `${documentObjectPrefix(ctx, document)}${sanitiseFilename(filename)}` as ObjectKey;
}

/** A key read back from the database or a listing, accepted only if this module would have made it. */
export function storedObjectKey(ctx: TenantScoped, document: DocumentIdentity, stored: string): ObjectKey | undefined {
  const prefix = documentObjectPrefix(ctx, document);
  if (!stored.startsWith(prefix)) return undefined;
  try {
    const key = documentObjectKey(ctx, document, stored.slice(prefix.length));
    return key === stored ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A listed key under this tenant's prefix; undefined for anything else, including a key with an
 * empty, '.' or '..' segment or a backslash: S3 stores such a key literally, but a URL made from it
 * would be normalised into somewhere else.
 */
export function listedObjectKey(ctx: TenantScoped, key: string): ObjectKey | undefined {
  const prefix = tenantObjectPrefix(ctx);
  if (!key.startsWith(prefix) || key.includes('\\')) return undefined;
  const segments = key.slice(prefix.length).split('/');
  return segments.every((s) => s !== '' && s !== '.' && s !== '..') ? (key as ObjectKey) : undefined;
}

/** The file name part of a key this module made. */
export function filenameOf(key: ObjectKey): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

const badFilename = (why: string) => new ApiError('bad_request', `The filename ${why}.`);
