// Request schemas for /v1. Bodies are strict: a field the API does not know (tenantId, namespace,
// role, objectKey…) is a 400, never silently applied. Ids are uuids, any case, compared lower-case.
// Every string that reaches Postgres is StoredText: one Postgres would refuse (NUL) or alter (an
// unpaired surrogate) is a 400 here, never a failed statement.

import { z } from 'zod';
import { UUID_PATTERN } from '../../domain/uuid.ts';
import { WIDGET_USER_HEADER } from '../../services/conversations/widget-user.ts';
import { isStorableText, UNSTORABLE_TEXT } from '../../text/storable-text.ts';

export const Uuid = z
  .string()
  .max(36)
  .transform((value) => value.toLowerCase())
  .pipe(z.string().regex(UUID_PATTERN, 'must be a uuid'));

export const IdParam = z.object({ id: Uuid });

const StoredText = () => z.string().refine(isStorableText, UNSTORABLE_TEXT);

const Title = StoredText().trim().min(1).max(200);
const ExternalId = StoredText().min(1).max(200);
const MediaType = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/i;

export const CreateDocumentBody = z.strictObject({
  projectId: Uuid.optional(),
  title: Title,
  filename: StoredText().min(1).max(255),
  contentType: z.string().regex(MediaType, 'must be a media type such as text/markdown'),
  sizeBytes: z.int().min(1),
  externalId: ExternalId.optional(),
});

export const ListDocumentsQuery = z.strictObject({
  projectId: Uuid.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

const MetadataKey = StoredText().min(1).max(64);
// Keys are checked before the values, as a whole: a value's issue is reported under its key, which
// must therefore already be a short, storable string (a refused key is never echoed back).
const SourceMetadata = z
  .record(z.string(), z.unknown())
  .refine((metadata) => Object.keys(metadata).length <= 20, 'at most 20 keys')
  .refine(
    (metadata) => Object.keys(metadata).every((key) => MetadataKey.safeParse(key).success),
    `keys must be 1–64 characters and ${UNSTORABLE_TEXT}`,
  )
  .pipe(z.record(z.string(), z.union([StoredText().max(1000), z.number(), z.boolean()])));

export const IngestBody = z.strictObject({
  projectId: Uuid.optional(),
  source: z.enum(['document', 'slack', 'email', 'web']),
  title: Title,
  text: StoredText().min(1),
  externalId: ExternalId.optional(),
  sourceMetadata: SourceMetadata.optional(),
});

export const QueryBody = z.strictObject({
  query: StoredText().trim().min(1).max(2000),
  topK: z.int().min(1).max(100).default(5),
  projectId: Uuid.optional(),
});

export const StartConversationBody = z.strictObject({
  projectId: Uuid.optional(),
  title: Title.optional(),
});

export const MessageBody = z.strictObject({
  content: StoredText().trim().min(1).max(4000),
  topK: z.int().min(1).max(100).optional(),
});

export const WidgetUserHeader = z.object({ [WIDGET_USER_HEADER]: z.string().max(100).optional() });
