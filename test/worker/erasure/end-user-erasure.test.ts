// End-user erasure (issue 14) on the END_USER_ERASURE Workflow: one named user's and one widget
// user's conversations, messages, retrieval log rows and idempotency records go; everyone else's
// stay; the tombstone names the end user by hash only. Retention: the purge removes only what is
// older than the tenant's setting, and nothing of a tenant without one.
import { env, introspectWorkflow } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { setRetention } from '../../../src/db/repositories/retention.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { requestEndUserErasure } from '../../../src/services/erasure/request-end-user-erasure.ts';
import { purgeExpired } from '../../../src/services/retention/purge-expired.ts';
import { sha256Hex } from '../../../src/tenancy/sha256.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { jobDepsForTest } from './run-erasure.ts';
import { insertTenant } from './tenant-data.ts';

async function conversationsOf(tenantId: string, projectId: string, endUserId: string, count: number, ageDays = 0) {
  const sql = admin();
  const rows = (await sql.query(
    `insert into conversations (tenant_id, project_id, end_user_id) select $1, $2, $3 from generate_series(1, $4) returning id`,
    [tenantId, projectId, endUserId, count],
  )) as Array<{ id: string }>;
  for (const { id } of rows) {
    await sql.query(
      `insert into messages (tenant_id, project_id, conversation_id, role, content, created_at)
       values ($1, $2, $3, 'user', 'q', now() - make_interval(days => $4)), ($1, $2, $3, 'assistant', 'a', now())`,
      [tenantId, projectId, id, ageDays],
    );
    await sql.query(
      `insert into retrievals (tenant_id, project_id, conversation_id, query, top_k, results, created_at)
       values ($1, $2, $3, 'q', 3, '[]'::jsonb, now() - make_interval(days => $4))`,
      [tenantId, projectId, id, ageDays],
    );
  }
}

const countFor = async (tenantId: string, endUserId: string) => {
  const [row] = (await admin().query(
    `select (select count(*)::int from conversations where tenant_id = $1 and end_user_id = $2) as conversations,
            (select count(*)::int from messages m join conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
              where m.tenant_id = $1 and c.end_user_id = $2) as messages,
            (select count(*)::int from idempotency_keys where tenant_id = $1 and (principal = $2 or principal like '%:wu:' || substr($2, 8))) as keys`,
    [tenantId, endUserId],
  )) as [{ conversations: number; messages: number; keys: number }];
  return row;
};

async function eraseEndUser(tenantId: string, endUserId: string) {
  const introspector = await introspectWorkflow(env.END_USER_ERASURE);
  try {
    await introspector.modifyAll(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
    });
    const job = await requestEndUserErasure({
      ctx: tenantContext(tenantId),
      deps: jobDepsForTest(),
      input: { endUserId, engine: env.END_USER_ERASURE },
    });
    const [instance] = await introspector.get();
    await instance?.waitForStatus('complete');
    return job;
  } finally {
    await introspector.dispose();
  }
}

describe('end-user erasure', () => {
  it.each([
    ['a named user (JWT sub)', 'user:alice@example.com'],
    ['a widget user', `widget:${sha256Hex(`token-${crypto.randomUUID()}`)}`],
  ])(
    '%s: their rows go, verified and tombstoned; other users and tenants keep theirs',
    async (_, endUserId) => {
      const t = await insertTenant();
      const other = await insertTenant();
      await conversationsOf(t.id, t.projectId, endUserId, 3);
      await conversationsOf(t.id, t.projectId, 'user:bob', 2);
      await conversationsOf(other.id, other.projectId, endUserId, 2); // the same id in another tenant
      const principal = endUserId.startsWith('user:') ? endUserId : `publishable_key:k1:wu:${endUserId.slice(7)}`;
      await admin().query(
        `insert into idempotency_keys (tenant_id, principal, key, request_hash, expires_at)
       values ($1, $2, 'k1', 'h', now() + interval '1 day'), ($1, 'user:bob', 'k1', 'h', now() + interval '1 day')`,
        [t.id, principal],
      );
      expect(await countFor(t.id, endUserId)).toEqual({ conversations: 3, messages: 6, keys: 1 });

      const job = await eraseEndUser(t.id, endUserId);
      expect(await countFor(t.id, endUserId)).toEqual({ conversations: 0, messages: 0, keys: 0 });
      expect(await countFor(t.id, 'user:bob')).toEqual({ conversations: 2, messages: 4, keys: 1 });
      expect((await countFor(other.id, endUserId)).conversations).toBe(2);

      const sql = admin();
      const [row] = (await sql.query('select state, progress, subject from jobs where tenant_id = $1 and id = $2', [
        t.id,
        job.id,
      ])) as [{ state: string; progress: { postgres: { done: number; total: number } }; subject: object }];
      expect(row.state).toBe('done');
      // 3 conversations, 6 messages, 3 retrievals, 1 idempotency record.
      expect(row.progress.postgres).toEqual({ done: 13, total: 13 });
      expect(JSON.stringify(row.subject)).not.toContain(endUserId);
      const tombstones = (await sql.query(
        `select target_id, detail::text as detail from audit_events where tenant_id = $1 and action = 'end_user.erased'`,
        [t.id],
      )) as Array<{ target_id: string; detail: string }>;
      expect(tombstones).toHaveLength(1);
      expect(tombstones[0]?.target_id).toBe(sha256Hex(endUserId));
      expect(tombstones[0]?.detail).not.toContain(endUserId);
    },
    60_000,
  );

  it('refuses an id that is not an end-user id as conversations store it', async () => {
    const t = await insertTenant();
    await expect(
      requestEndUserErasure({
        ctx: tenantContext(t.id),
        deps: jobDepsForTest(),
        input: { endUserId: 'alice', engine: env.END_USER_ERASURE },
      }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('retention', () => {
  it('purges messages and retrieval rows older than the setting, tenant by tenant; a tenant without one keeps all', async () => {
    const t = await insertTenant();
    const keeper = await insertTenant();
    for (const tenant of [t, keeper]) {
      await conversationsOf(tenant.id, tenant.projectId, 'user:old', 2, 40);
      await conversationsOf(tenant.id, tenant.projectId, 'user:new', 2, 1);
    }
    await withTenant(tenantContext(t.id), testSettings(), (scope) => [
      setRetention(scope, { messagesDays: 30, retrievalsDays: 7 }),
    ]);
    const purged = await purgeExpired(t.id, testSettings(), new Date(), 1);
    // Old: 2 user messages (40 days) and 2 retrievals; new: 2 retrievals of 1 day stay (7-day limit).
    expect(purged).toEqual({ messages: 2, retrievals: 2 });
    const counts = async (tenantId: string) =>
      (
        (await admin().query(
          `select (select count(*)::int from messages where tenant_id = $1) as messages,
                  (select count(*)::int from retrievals where tenant_id = $1) as retrievals`,
          [tenantId],
        )) as [{ messages: number; retrievals: number }]
      )[0];
    expect(await counts(t.id)).toEqual({ messages: 6, retrievals: 2 });
    expect(await counts(keeper.id)).toEqual({ messages: 8, retrievals: 4 });
    expect(await purgeExpired(keeper.id, testSettings())).toEqual({ messages: 0, retrievals: 0 });
  }, 60_000);
});
