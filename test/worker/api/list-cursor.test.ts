// A list cursor is decoded and checked before it reaches Postgres: one that decodes to a timestamp
// that is not a real instant (month 13, Feb 29 of a common year, year 0, hour 24, an offset Postgres
// refuses) is the envelope's 400, never a 500 from the cast; a cursor the API issued still pages.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createHarness, type Harness, json, outcome, type TestTenant } from './harness.ts';

let h: Harness;
let a: TestTenant;
beforeAll(async () => {
  h = await createHarness(1);
  a = h.tenants[0] as TestTenant;
});

/** The cursor encoding of src/services/documents/list-documents.ts, for any pair of values. */
const cursorOf = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const NOT_A_CURSOR = 'cursor: not a cursor this API returned';

describe('list cursors', () => {
  const id = crypto.randomUUID();
  const impossible = [
    '2024-13-45 99:99:99',
    '2024-13-01 00:00:00+00',
    '2023-02-29 12:00:00+00',
    '2024-04-31 12:00:00+00',
    '0000-01-01 00:00:00+00',
    '2024-01-01 24:00:00+00',
    '2024-01-01 23:60:00+00',
    '2024-01-01 23:59:60+00',
    '2024-01-01 00:00:00+16',
    '2024-01-01 00:00:00+05:60',
  ];
  for (const createdAt of impossible) {
    it(`answers 400 bad_request for a cursor at ${createdAt}`, async () => {
      const res = await api(h, a, `/v1/documents?cursor=${cursorOf([createdAt, id])}`);
      expect(await outcome(res)).toEqual({ status: 400, code: 'bad_request', message: NOT_A_CURSOR });
    });
  }

  it('answers 400 for cursors of the wrong shape', async () => {
    for (const value of [[], ['2024-01-01 00:00:00+00'], [1, id], ['2024-01-01 00:00:00+00', 'not-a-uuid'], {}]) {
      const res = await api(h, a, `/v1/documents?cursor=${cursorOf(value)}`);
      expect(await outcome(res)).toMatchObject({ status: 400, code: 'bad_request' });
    }
  });

  it('still pages with the cursors it issues, and with real timestamps in any accepted form', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await api(h, a, '/v1/ingest', {
        body: { source: 'web', title: `Page ${i}`, text: `page ${i}`, projectId: a.projectIds[0] },
      });
      expect(res.status).toBe(201);
    }
    const first = await json<{ documents: unknown[]; nextCursor: string | null }>(
      await api(h, a, '/v1/documents?limit=2'),
    );
    expect(first.documents).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const next = await api(h, a, `/v1/documents?limit=2&cursor=${first.nextCursor}`);
    expect(next.status).toBe(200);
    expect((await json<{ documents: unknown[] }>(next)).documents).toHaveLength(1);
    for (const createdAt of ['2024-02-29 23:59:59.999999+00', '9999-12-31 00:00:00-15:59', '2024-06-01T08:00:00Z']) {
      expect((await api(h, a, `/v1/documents?cursor=${cursorOf([createdAt, id])}`)).status).toBe(200);
    }
  });
});
