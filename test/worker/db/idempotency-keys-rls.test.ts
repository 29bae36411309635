// docs/threat-model.md T52 and T21: idempotency_keys is a tenant table like any other. Tenant A's
// keys (and the responses they replay) are invisible to B; B can neither write a row for A, nor
// change, complete or delete A's rows, whatever principal and key it names.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeClaim, deleteClaim, insertClaim, selectKey } from '../../../src/db/repositories/idempotency-keys.ts';
import { idempotencyKeys } from '../../../src/db/schema/idempotency-keys.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { testSettings } from '../helpers/settings.ts';
import { withBrokenWall } from './broken-wall.ts';
import { admin, createTenant, type TenantFixture } from './fixtures.ts';

let a: TenantFixture;
let b: TenantFixture;
const id = { principal: 'secret_key:shared', key: `k-${crypto.randomUUID()}`, requestHash: 'a'.repeat(64) };
beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
  const [[claimed]] = await withTenant(a.ctx, testSettings(), (scope) => [
    insertClaim(scope, { ...id, leaseSeconds: 60 }),
  ]);
  expect(claimed).toBeDefined();
  await withTenant(a.ctx, testSettings(), (scope) => [
    completeClaim(scope, { ...id, response: { status: 201, body: { secret: a.canary } }, keepSeconds: 60 }),
  ]);
});

const rowsOfA = () =>
  admin()`select status, response from idempotency_keys where tenant_id = ${a.tenantId} and key = ${id.key}`;

describe('idempotency_keys under RLS (docs/threat-model.md T52)', () => {
  it("B reads none of A's keys or stored responses, even naming A's principal and key", async () => {
    const [mine] = await withTenant(a.ctx, testSettings(), (scope) => [selectKey(scope, id)]);
    expect(mine).toEqual([
      { requestHash: id.requestHash, status: 'completed', response: { status: 201, body: { secret: a.canary } } },
    ]);
    const [named, all] = await withTenant(b.ctx, testSettings(), ({ db, ...scope }) => [
      selectKey({ db, ...scope }, id),
      db.select().from(idempotencyKeys).where(eq(idempotencyKeys.tenantId, a.tenantId)),
    ]);
    expect(named).toEqual([]);
    expect(all).toEqual([]);
  });

  it("B claiming A's principal and key gets its own row, and cannot insert one for A", async () => {
    const [[own]] = await withTenant(b.ctx, testSettings(), (scope) => [
      insertClaim(scope, { ...id, leaseSeconds: 60 }),
    ]);
    expect(own).toBeDefined();
    await expect(
      withTenant(b.ctx, testSettings(), ({ db }) => [
        db.insert(idempotencyKeys).values({ ...id, key: `${id.key}-x`, tenantId: a.tenantId, expiresAt: new Date() }),
      ]),
    ).rejects.toMatchObject({ code: '42501' });
    expect(await rowsOfA()).toEqual([{ status: 'completed', response: { status: 201, body: { secret: a.canary } } }]);
  });

  it("B's updates and deletes reach none of A's rows", async () => {
    await withTenant(b.ctx, testSettings(), ({ db, ...scope }) => [
      db
        .update(idempotencyKeys)
        .set({ status: 'completed', response: { status: 200, body: 'forged' } })
        .where(eq(idempotencyKeys.key, id.key)),
      deleteClaim({ db, ...scope }, id),
      db.delete(idempotencyKeys).where(eq(idempotencyKeys.tenantId, a.tenantId)),
    ]);
    expect(await rowsOfA()).toEqual([{ status: 'completed', response: { status: 201, body: { secret: a.canary } } }]);
  });

  it("break it: with a policy that ignores tenant_id, the same probe sees A's row from B", async () => {
    const leaked = await withBrokenWall(
      ['create policy idempotency_keys_leak on idempotency_keys for select to public using (true)'],
      async ({ client, enter }) => {
        await enter(b.ctx);
        return (await client.query('select key from idempotency_keys where tenant_id = $1', [a.tenantId])).rows;
      },
    );
    expect(leaked).toEqual([{ key: id.key }]);
  });
});
