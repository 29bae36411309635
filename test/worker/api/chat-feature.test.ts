// A tenant whose `chat` feature is off gets 403 feature_disabled on every conversation route, whatever the key, even
// for a conversation it started while chat was on; the refusal writes nothing but its audit row. The same tenant
// and keys as the harness made, behind a second app whose registry turns the flag off.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../db/fixtures.ts';
import { api, createHarness, type Harness, type KeyName, outcome, type TestTenant } from './harness.ts';
import { widgetConversation, withFeatures } from './resources.ts';

let on: Harness;
let off: Harness;
let a: TestTenant;
let conversation: { id: string; widgetUser: string };
beforeAll(async () => {
  on = await createHarness(1);
  a = on.tenants[0] as TestTenant;
  conversation = await widgetConversation(on, a);
  off = withFeatures(on, a, { chat: false });
});

const conversationCount = async () =>
  (
    (await admin().query('select count(*)::int as n from conversations where tenant_id = $1', [a.id]))[0] as {
      n: number;
    }
  ).n;

/** The access.denied rows the refused request wrote, by its request id. */
const denialsOf = async (res: Response) =>
  admin().query(
    `select tenant_id, detail->>'outcome' as outcome, detail->>'requiredFeature' as required from audit_events
     where action = 'access.denied' and detail->>'requestId' = $1`,
    [res.headers.get('x-request-id')],
  );

describe('chat feature off', () => {
  for (const key of ['publishable', 'secret'] as KeyName[]) {
    it(`answers 403 on every conversation route (${key} key)`, async () => {
      const before = await conversationCount();
      const headers = { 'x-widget-user': conversation.widgetUser };
      const requests = [
        api(off, a, '/v1/conversations', { key, body: {} }),
        api(off, a, `/v1/conversations/${conversation.id}`, { key, headers }),
        api(off, a, `/v1/conversations/${conversation.id}/messages`, { key, headers, body: { content: 'hello?' } }),
      ];
      for (const res of await Promise.all(requests)) {
        expect(await outcome(res)).toEqual({
          status: 403,
          code: 'feature_disabled',
          message: 'Chat is not enabled for this tenant',
        });
        expect(await denialsOf(res)).toEqual([{ tenant_id: a.id, outcome: 'denied', required: 'chat' }]);
      }
      expect(await conversationCount()).toBe(before);
    });
  }

  it('the same key and conversation work while the feature is on', async () => {
    const headers = { 'x-widget-user': conversation.widgetUser };
    const res = await api(on, a, `/v1/conversations/${conversation.id}`, { key: 'publishable', headers });
    expect(res.status).toBe(200);
  });
});
