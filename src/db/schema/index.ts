// The whole schema, for drizzle-kit (drizzle.config.ts) and for typed queries.
export * from './api-keys.ts';
export * from './audit-events.ts';
export * from './conversations.ts';
export * from './documents.ts';
export * from './enums.ts';
export * from './idempotency-keys.ts';
export * from './platform-settings.ts';
export * from './projects.ts';
export * from './tenant-document-counts.ts';
export * from './tenants.ts';
