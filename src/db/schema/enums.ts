import { pgEnum } from 'drizzle-orm/pg-core';

export const tenantStatus = pgEnum('tenant_status', ['active', 'suspended', 'deleting']);
export const projectRole = pgEnum('project_role', ['owner', 'admin', 'editor', 'viewer']);
export const apiKeyKind = pgEnum('api_key_kind', ['publishable', 'secret']);
export const documentStatus = pgEnum('document_status', ['pending', 'ready', 'failed']);
export const messageRole = pgEnum('message_role', ['system', 'user', 'assistant']);
