// Response bodies of /v1, as the OpenAPI document states them (src/http/openapi-describe.ts) and
// the API tests check every answer against (test/worker/api/openapi-conformance.ts). Strict objects:
// a field the API does not declare (a tenant id, an object key) fails those tests instead of leaking
// (docs/threat-model.md T62).
import { z } from 'zod';

const Id = z.guid();

// Example values, obviously made up, shown by /docs.
const TENANT = '0b7e6c1a-3f52-4d8e-9a41-2c6d5e7f8a90';
const PROJECT = '5d1f0e2c-7a3b-4c9d-8e6f-1a2b3c4d5e6f';
const DOCUMENT = '9c4e2a1b-6d3f-4e8a-b7c5-0f1e2d3c4b5a';
const CONVERSATION = 'e3a1c5b7-2d4f-4a6b-8c9d-0e1f2a3b4c5d';
const AT = '2026-11-02T09:30:00.000Z';
const exampleDocument = {
  id: DOCUMENT,
  projectId: PROJECT,
  title: 'Returns policy',
  contentType: 'text/markdown',
  sizeBytes: 18_204,
  externalId: 'kb-142',
  source: null,
  status: 'ready',
  progress: { chunksDone: 12, chunksTotal: 12 },
  failureReason: null,
  createdAt: AT,
  updatedAt: AT,
};
const exampleConversation = { id: CONVERSATION, projectId: PROJECT, title: 'Returns', createdAt: AT, updatedAt: AT };
const exampleQuestion = {
  id: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
  role: 'user',
  content: 'Can I return shoes?',
  createdAt: AT,
};
const exampleAnswer = {
  id: '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b',
  role: 'assistant',
  content: 'Yes, within 30 days, unworn [1].',
  createdAt: AT,
};
const Timestamp = z.iso.datetime({ offset: true });
const Scope = z.enum(['chat', 'retrieval', 'documents:read', 'documents:write', 'admin']);

export const WhoAmI = z
  .strictObject({
    tenantId: Id,
    principal: z.strictObject({
      kind: z.enum(['publishable_key', 'secret_key', 'user', 'development', 'operator', 'system']),
      id: z.string(),
    }),
    scopes: z.array(Scope),
    projectIds: z.union([z.literal('all'), z.array(Id)]),
    features: z.array(z.string()).describe('The feature flags that are on for the tenant'),
  })
  .meta({
    id: 'WhoAmI',
    examples: [
      {
        tenantId: TENANT,
        principal: { kind: 'secret_key', id: 'k7Yh2pQ9' },
        scopes: ['chat', 'retrieval', 'documents:read', 'documents:write'],
        projectIds: 'all',
        features: ['chat', 'uploads', 'citations'],
      },
    ],
  });

export const ProjectList = z
  .strictObject({
    projects: z.array(z.strictObject({ id: Id, name: z.string(), createdAt: Timestamp })),
  })
  .meta({
    id: 'ProjectList',
    examples: [{ projects: [{ id: PROJECT, name: 'Help centre', createdAt: AT }] }],
  });

export const DocumentStatus = z.enum(['awaiting_upload', 'queued', 'processing', 'ready', 'failed']);

export const Document = z
  .strictObject({
    id: Id,
    projectId: Id,
    title: z.string(),
    contentType: z.string(),
    sizeBytes: z.int(),
    externalId: z.string().nullable(),
    source: z.string().nullable(),
    status: DocumentStatus,
    progress: z
      .strictObject({ chunksDone: z.int(), chunksTotal: z.int() })
      .nullable()
      .describe('While processing and once ready: chunks stored so far, of how many'),
    failureReason: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Document' });

export const CreatedDocument = z
  .strictObject({
    document: Document,
    upload: z
      .strictObject({
        method: z.literal('PUT'),
        url: z.url(),
        headers: z.record(z.string(), z.string()).describe('Send exactly these headers with the PUT'),
        expiresAt: Timestamp,
      })
      .describe('A presigned PUT of the content to the object store, signed for this document only'),
  })
  .meta({
    id: 'CreatedDocument',
    examples: [
      {
        document: { ...exampleDocument, status: 'awaiting_upload', progress: null },
        upload: {
          method: 'PUT',
          url: 'https://objects.example/bulkhead/tenants/…?X-Amz-Signature=…',
          headers: { 'content-type': 'text/markdown', 'content-length': '18204' },
          expiresAt: AT,
        },
      },
    ],
  });

export const DocumentPage = z
  .strictObject({
    documents: z.array(Document),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
  })
  .meta({
    id: 'DocumentPage',
    examples: [{ documents: [exampleDocument], nextCursor: null }],
  });

export const IngestionResult = z
  .strictObject({
    id: Id,
    status: z.enum(['queued', 'ready', 'failed']),
    failureReason: z.string().nullable(),
  })
  .meta({
    id: 'IngestionResult',
    examples: [{ id: DOCUMENT, status: 'ready', failureReason: null }],
  });

export const Download = z.strictObject({ method: z.literal('GET'), url: z.url(), expiresAt: Timestamp }).meta({
  id: 'Download',
  examples: [{ method: 'GET', url: 'https://objects.example/bulkhead/tenants/…?X-Amz-Signature=…', expiresAt: AT }],
});

export const RetrievalResult = z
  .strictObject({
    projectId: Id,
    results: z.array(
      z.strictObject({ documentId: Id, chunkIndex: z.int(), title: z.string(), text: z.string(), score: z.number() }),
    ),
  })
  .meta({
    id: 'RetrievalResult',
    examples: [
      {
        projectId: PROJECT,
        results: [{ documentId: DOCUMENT, chunkIndex: 3, title: 'Returns policy', text: 'Unworn shoes…', score: 0.83 }],
      },
    ],
  });

const Conversation = z
  .strictObject({
    id: Id,
    projectId: Id,
    title: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Conversation' });

const Message = z
  .strictObject({
    id: Id,
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Message' });

export const StartedConversation = z
  .strictObject({
    conversation: Conversation,
    widgetUser: z
      .string()
      .optional()
      .describe('Issued to a widget caller that sent no x-widget-user: send it on every later call'),
  })
  .meta({
    id: 'StartedConversation',
    examples: [{ conversation: exampleConversation, widgetUser: 'wu_…' }],
  });

export const ConversationWithMessages = z
  .strictObject({ conversation: Conversation, messages: z.array(Message) })
  .meta({
    id: 'ConversationWithMessages',
    examples: [{ conversation: exampleConversation, messages: [exampleQuestion, exampleAnswer] }],
  });

export const Turn = z
  .strictObject({
    conversationId: Id,
    mode: z.enum(['generated', 'retrieval-only']),
    question: Message,
    answer: Message,
    citations: z.array(
      z.strictObject({ number: z.int(), documentId: Id, chunkIndex: z.int(), title: z.string(), score: z.number() }),
    ),
  })
  .meta({
    id: 'Turn',
    examples: [
      {
        conversationId: CONVERSATION,
        mode: 'generated',
        question: exampleQuestion,
        answer: exampleAnswer,
        citations: [{ number: 1, documentId: DOCUMENT, chunkIndex: 3, title: 'Returns policy', score: 0.83 }],
      },
    ],
  });
