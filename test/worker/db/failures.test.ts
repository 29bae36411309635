// docs/threat-model.md T36 (database part): a lost connection or a failed batch is a 503 with Retry-After
// in the error envelope, and leaves no partial rows; a statement's own error is not a 503.
import { neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertDocumentRecord } from '../../../src/db/repositories/document-records.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { withTenantTransaction } from '../../../src/db/with-tenant-transaction.ts';
import { ApiError } from '../../../src/domain/api-error.ts';
import type { AppEnv } from '../../../src/http/app-env.ts';
import { onError } from '../../../src/http/on-error.ts';
import { testSettings } from '../helpers/settings.ts';
import { countAsAdmin, createTenant, newDocumentRecord, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
beforeAll(async () => {
  a = await createTenant();
});

const originalFetch = neonConfig.fetchFunction;
afterEach(() => {
  neonConfig.fetchFunction = originalFetch;
});

/** The network drops this tenant's requests (others, from parallel test files, pass). */
function dropRequestsOf(tenantId: string): void {
  neonConfig.fetchFunction = (url: string, init: RequestInit) =>
    String(init.body).includes(tenantId) ? Promise.reject(new TypeError('Network connection lost.')) : fetch(url, init);
}

const newDocument = (title: string) => newDocumentRecord(a.projectIds[0], title);
// The backend dies mid-transaction, after a row was written: what a crash or failover looks like.
const killConnection = sql`select pg_terminate_backend(pg_backend_pid())`;
// Over HTTP the same failure as Postgres reports it (SQLSTATE 57P01, admin_shutdown): really killing
// a backend behind the local SQL-over-HTTP endpoint crashes that endpoint (see the report).
const backendShutDown = sql`do $$ begin raise exception 'terminating connection' using errcode = '57P01'; end $$`;

describe('database failures', () => {
  it('HTTP: a lost connection is ApiError unavailable with Retry-After', async () => {
    dropRequestsOf(a.tenantId);
    const error = await withTenant(a.ctx, testSettings(), (s) => [insertDocumentRecord(s, newDocument('lost'))]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', headers: { 'Retry-After': '2' } });
  });

  it('HTTP: a batch cut off after a write leaves no partial rows', async () => {
    const before = await countAsAdmin('documents', a.tenantId);
    const error = await withTenant(a.ctx, testSettings(), (s) => [
      insertDocumentRecord(s, newDocument('partial?')),
      s.db.execute(backendShutDown),
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(await countAsAdmin('documents', a.tenantId)).toBe(before);
  });

  it('WebSocket: a connection lost mid-transaction leaves no partial rows', async () => {
    const before = await countAsAdmin('documents', a.tenantId);
    const error = await withTenantTransaction(a.ctx, testSettings(), async (s) => {
      await insertDocumentRecord(s, newDocument('partial?'));
      await s.db.execute(killConnection);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', headers: { 'Retry-After': '2' } });
    expect(await countAsAdmin('documents', a.tenantId)).toBe(before);
  });

  it('WebSocket: a database that cannot be reached is ApiError unavailable', async () => {
    const settings = testSettings();
    const url = new URL(settings.DATABASE_URL);
    url.port = '1';
    const error = await withTenantTransaction(
      a.ctx,
      { ...settings, DATABASE_URL: url.toString() },
      async () => 1,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable' });
  });

  it('the HTTP layer answers 503 with Retry-After in the envelope; a statement error is a 500 without SQL', async () => {
    const app = new Hono<AppEnv>();
    app.post('/documents/:title', async (c) => {
      await withTenant(a.ctx, testSettings(), (s) => [insertDocumentRecord(s, newDocument(c.req.param('title')))]);
      return c.json({ ok: true });
    });
    app.post('/duplicate', async () => {
      const again = { ...newDocument('dup'), externalId: a.externalId };
      await withTenant(a.ctx, testSettings(), (s) => [insertDocumentRecord(s, again)]);
      return new Response('unreachable');
    });
    app.onError(onError);

    dropRequestsOf(a.tenantId);
    const down = await app.request('/documents/x', { method: 'POST' });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('2');
    expect(await down.json()).toMatchObject({ error: { code: 'unavailable' } });

    neonConfig.fetchFunction = originalFetch;
    const conflict = await app.request('/duplicate', { method: 'POST' });
    expect(conflict.status).toBe(500);
    const text = await conflict.text();
    expect(text).not.toMatch(/documents_tenant|insert|duplicate key/i);
  });
});
