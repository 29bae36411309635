// Widget-user ids are issued signed: `wu_{random}.{HMAC-SHA256(random + tenantId, WIDGET_USER_SECRET)}`.
// A well-formed id the server did not sign (e.g. `wu_` + 43 × `A`, or a forged signature), one
// signed with another secret, or one issued for another tenant is refused exactly like any id the
// API did not issue: 400 when starting a conversation, and the missing answer (404) when reading or
// posting, the same as a conversation that is not there.
import { beforeAll, describe, expect, it } from 'vitest';
import { isIssuedWidgetUser, mintWidgetUser } from '../../../src/services/conversations/widget-user.ts';
import { admin } from '../db/fixtures.ts';
import { testSettings } from '../helpers/settings.ts';
import { api, createHarness, type Harness, outcome, type TestTenant } from './harness.ts';
import { widgetConversation, widgetUserOf } from './resources.ts';

let h: Harness;
let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  h = await createHarness(2);
  [a, b] = h.tenants as [TestTenant, TestTenant];
});

const SIGNED = /^wu_[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;
const FORMAT_ONLY = `wu_${'A'.repeat(43)}`;

const start = (tenant: TestTenant, widgetUser?: string) =>
  api(h, tenant, '/v1/conversations', {
    key: 'publishable',
    headers: widgetUser === undefined ? {} : { 'x-widget-user': widgetUser },
    body: {},
  });
const read = (tenant: TestTenant, id: string, widgetUser: string) =>
  api(h, tenant, `/v1/conversations/${id}`, { key: 'publishable', headers: { 'x-widget-user': widgetUser } });
const post = (tenant: TestTenant, id: string, widgetUser: string) =>
  api(h, tenant, `/v1/conversations/${id}/messages`, {
    key: 'publishable',
    headers: { 'x-widget-user': widgetUser },
    body: { content: 'hello' },
  });

/** Flips one character of the signature: still well-formed, no longer the server's. */
const tampered = (token: string) => `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;

describe('signed widget users', () => {
  it('issues ids in the signed form, and a signed id starts and reads its conversations', async () => {
    const first = await widgetConversation(h, a);
    expect(first.widgetUser).toMatch(SIGNED);
    const again = await start(a, first.widgetUser);
    expect(again.status).toBe(201);
    expect((await read(a, first.id, first.widgetUser)).status).toBe(200);
    // The test helper signs with the Worker's own secret: the API accepts what it mints.
    const minted = await widgetUserOf(a);
    expect(minted).toMatch(SIGNED);
    expect((await start(a, minted)).status).toBe(201);
  });

  it('refuses ids the server did not sign, as it refuses a malformed one, and creates nothing', async () => {
    const before = await admin().query('select count(*)::int as n from conversations where tenant_id = $1', [a.id]);
    const malformed = await outcome(await start(a, 'me'));
    expect(malformed).toMatchObject({ status: 400, code: 'bad_request' });
    const issued = (await widgetConversation(h, a)).widgetUser;
    const otherSecret = await mintWidgetUser(`${testSettings().WIDGET_USER_SECRET}-but-not-this-one`, a.id);
    for (const forged of [
      FORMAT_ONLY,
      `${FORMAT_ONLY}.${'A'.repeat(43)}`,
      tampered(issued),
      otherSecret,
      issued.split('.')[0] as string,
    ]) {
      expect(await outcome(await start(a, forged)), forged).toEqual(malformed);
    }
    const after = await admin().query('select count(*)::int as n from conversations where tenant_id = $1', [a.id]);
    expect(after[0]).toEqual({ n: (before[0] as { n: number }).n + 1 });
  });

  it('reading or posting with an unsigned id gets the answer of a conversation that is not there', async () => {
    const mine = await widgetConversation(h, a);
    const random = crypto.randomUUID();
    for (const forged of [FORMAT_ONLY, tampered(mine.widgetUser), `${FORMAT_ONLY}.${'A'.repeat(43)}`]) {
      const missing = await outcome(await read(a, random, mine.widgetUser));
      expect(await outcome(await read(a, mine.id, forged))).toEqual(missing);
      expect(await outcome(await post(a, mine.id, forged))).toEqual(
        await outcome(await post(a, random, mine.widgetUser)),
      );
    }
    expect(await outcome(await read(a, mine.id, FORMAT_ONLY))).toMatchObject({ status: 404 });
  });

  it('an id issued for tenant A is refused on tenant B, as an unsigned one is', async () => {
    const ofA = (await widgetConversation(h, a)).widgetUser;
    expect(await outcome(await start(b, ofA))).toEqual(await outcome(await start(b, FORMAT_ONLY)));
    expect((await start(b, ofA)).status).toBe(400);
    // B's own conversation: B's id reads it; A's id gets what a random conversation gets.
    const theirs = await widgetConversation(h, b);
    expect((await read(b, theirs.id, theirs.widgetUser)).status).toBe(200);
    expect(await outcome(await read(b, theirs.id, ofA))).toEqual(
      await outcome(await read(b, crypto.randomUUID(), theirs.widgetUser)),
    );
    // The signature binds the tenant: the same token verifies for A and for no one else.
    const secret = testSettings().WIDGET_USER_SECRET;
    expect(await isIssuedWidgetUser(secret, a.id, ofA)).toBe(true);
    expect(await isIssuedWidgetUser(secret, b.id, ofA)).toBe(false);
  });
});
