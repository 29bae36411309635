// docs/threat-model.md T67 for the WebSocket path (withTenantTransaction): a Neon WebSocket proxy that
// refuses, resets, cuts off or never answers the connection is ApiError('unavailable') with
// Retry-After within the connect limit (src/config/timeouts.ts), and nothing is committed.
// The faults are aimed at this file's own connections by an application_name in the connection
// string, which the driver sends in the Postgres startup packet the proxy matches on.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { FaultKind, FaultRule } from '../../../local/fault-rule.ts';
import { TIMEOUTS } from '../../../src/config/timeouts.ts';
import { insertDocumentRecord } from '../../../src/db/repositories/document-records.ts';
import { withTenantTransaction } from '../../../src/db/with-tenant-transaction.ts';
import { ApiError } from '../../../src/domain/api-error.ts';
import { countAsAdmin, createTenant, newDocumentRecord } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { withFaults } from './fault-control.ts';

const a = await createTenant();
const marker = `bulkhead-faults-${crypto.randomUUID().slice(0, 8)}`;
const base = testSettings();
const url = new URL(base.DATABASE_URL);
url.searchParams.set('application_name', marker);
const settings = { ...base, DATABASE_URL: url.toString() };

const writeOne = () =>
  withTenantTransaction(a.ctx, settings, async (scope) => {
    await insertDocumentRecord(scope, newDocumentRecord(a.projectIds[0], 'over the websocket'));
    return (await scope.db.execute(sql`select 1 as one`)).rows.length;
  });

const CASES: Array<[FaultKind, Partial<FaultRule>]> = [
  ['status', { status: 503 }],
  ['reset', {}],
  ['truncate', {}],
  ['hang', {}],
];

describe('WebSocket faults', () => {
  it('without a fault, the transaction commits (the marker does not get in the way)', async () => {
    const before = await countAsAdmin('documents', a.tenantId);
    expect(await writeOne()).toBe(1);
    expect(await countAsAdmin('documents', a.tenantId)).toBe(before + 1);
  });

  it('a statement that does not answer within databaseQueryMs: unavailable, the connection dropped, nothing committed', async () => {
    const before = await countAsAdmin('documents', a.tenantId);
    const error = await withTenantTransaction(a.ctx, settings, async (scope) => {
      await insertDocumentRecord(scope, newDocumentRecord(a.projectIds[0], 'before a stuck statement'));
      await scope.db.execute(sql`select pg_sleep(${(TIMEOUTS.databaseQueryMs + 3_000) / 1000})`);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', headers: { 'Retry-After': expect.any(String) } });
    expect(await countAsAdmin('documents', a.tenantId)).toBe(before);
  }, 20_000);

  for (const [kind, rule] of CASES) {
    it(`${kind}: unavailable with Retry-After, nothing committed`, async () => {
      const before = await countAsAdmin('documents', a.tenantId);
      const error = await withFaults('database', [{ fault: kind, includes: marker, ...rule }], () =>
        writeOne().catch((e: unknown) => e),
      );
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'unavailable', headers: { 'Retry-After': expect.any(String) } });
      expect(await countAsAdmin('documents', a.tenantId)).toBe(before);
    }, 15_000);
  }
});
