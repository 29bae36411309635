// Request schemas of the tenant admin API. Bodies are strict (an unknown field is a 400); every
// string that reaches Postgres must be storable text (src/text/storable-text.ts).
import { z } from 'zod';
import { PROJECT_ROLES } from '../../../db/repositories/member-records.ts';
import { MAX_REROLL_OVERLAP_SECONDS } from '../../../services/api-keys/reroll-api-key.ts';
import { MAX_USAGE_DAYS } from '../../../services/usage/tenant-usage.ts';
import { SCOPES } from '../../../tenancy/registry-schema.ts';
import { isStorableText, UNSTORABLE_TEXT } from '../../../text/storable-text.ts';
import { Uuid } from '../schemas.ts';

const StoredText = () => z.string().refine(isStorableText, UNSTORABLE_TEXT);
const ProjectName = StoredText().trim().min(1).max(200);
const Limit = z.coerce.number().int().min(1).max(100).default(20);
const Cursor = z.string().min(1).max(512).optional();
/** An end user's subject as a verified token carries it: opaque, short, storable. */
const UserId = StoredText().min(1).max(200);

export const CreateProjectBody = z.strictObject({ name: ProjectName });
export const RenameProjectBody = z.strictObject({ name: ProjectName });
export const DeleteProjectQuery = z.strictObject({
  force: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

export const MemberParams = z.object({ id: Uuid, userId: UserId });
export const MemberBody = z.strictObject({ role: z.enum(PROJECT_ROLES) });

export const CreateApiKeyBody = z.strictObject({
  kind: z.enum(['publishable', 'secret']),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
  projects: z.union([z.literal('all'), z.array(Uuid).min(1).max(100)]),
  label: StoredText().trim().min(1).max(100).optional(),
  expiresAt: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .optional(),
});

export const RerollBody = z.strictObject({
  /** How long the old key keeps working; 0 ends it at once. */
  overlapSeconds: z.int().min(0).max(MAX_REROLL_OVERLAP_SECONDS).default(3600),
});

const Instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const AuditEventsQuery = z.strictObject({
  action: StoredText().min(1).max(100).optional(),
  outcome: z.enum(['allowed', 'not_found', 'denied']).optional(),
  actorKind: z.enum(['publishable_key', 'secret_key', 'user', 'development']).optional(),
  actorId: StoredText().min(1).max(200).optional(),
  since: Instant.optional(),
  until: Instant.optional(),
  limit: Limit,
  cursor: Cursor,
});

export const ListConversationsQuery = z.strictObject({
  projectId: Uuid.optional(),
  endUserId: UserId.optional(),
  limit: Limit,
  cursor: Cursor,
});

export const UsageQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(MAX_USAGE_DAYS).default(30),
});
