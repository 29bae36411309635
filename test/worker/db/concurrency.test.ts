// 20 tenants in parallel on shared connections (the endpoint's pool over HTTP, one small WebSocket
// pool for all), reading and writing; every returned row is checked: zero cross-tenant rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webSocketPool } from '../../../src/db/neon-client.ts';
import { chunksOfDocument } from '../../../src/db/repositories/chunks.ts';
import { insertDocumentRecord } from '../../../src/db/repositories/document-records.ts';
import { chunks, documents } from '../../../src/db/schema/documents.ts';
import { withTenant } from '../../../src/db/with-tenant.ts';
import { inTenantTransaction } from '../../../src/db/with-tenant-transaction.ts';
import { testSettings } from '../helpers/settings.ts';
import { tenantContext } from '../helpers/tenant-context.ts';
import { createTenant, newDocumentRecord, type TenantFixture } from './fixtures.ts';

const TENANTS = 20;
const ROUNDS = 5;
const CHUNKS = 5;

let tenants: TenantFixture[];
// Four connections for twenty tenants: every connection serves many tenants in turn.
const sharedPool = webSocketPool(testSettings(), 4);
beforeAll(async () => {
  tenants = await Promise.all(Array.from({ length: TENANTS }, () => createTenant(CHUNKS)));
});
afterAll(() => sharedPool.end());

interface Row {
  tenantId: string;
  projectId: string;
  content?: string;
  title?: string;
}

describe('20 tenants in parallel', () => {
  it('every row returned to every request belongs to the caller', async () => {
    let checked = 0;
    const foreign: Row[] = [];
    const check = (t: TenantFixture, rows: Row[], projects: readonly string[] | 'all') => {
      for (const row of rows) {
        checked++;
        const text = row.content ?? row.title ?? '';
        const projectOk = projects === 'all' || projects.includes(row.projectId);
        if (row.tenantId !== t.tenantId || !text.startsWith(t.canary) || !projectOk) foreign.push(row);
      }
    };
    const request = async (t: TenantFixture, round: number) => {
      // Half the requests come from a principal limited to the first project.
      const projects = round % 2 === 0 ? ('all' as const) : [t.projectIds[0]];
      const ctx = tenantContext(t.tenantId, { projectIds: projects });
      const [written, allDocuments, allChunks] = await withTenant(ctx, testSettings(), (s) => [
        insertDocumentRecord(s, newDocumentRecord(t.projectIds[0], `${t.canary} round ${round}`)),
        s.db.select().from(documents),
        s.db.select().from(chunks),
      ]);
      check(t, [...written, ...allDocuments, ...allChunks], projects);
      expect(allChunks.length).toBe(CHUNKS);
      const interactive = await inTenantTransaction(sharedPool, ctx, async (s) => {
        const [doc] = await s.db.select().from(documents).limit(1);
        return [doc, ...(await chunksOfDocument(s, t.projectIds[0], t.documentId))];
      });
      check(
        t,
        interactive.filter((row) => row !== undefined),
        projects,
      );
    };
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(tenants.map((t) => request(t, round)));
    }
    expect(foreign).toEqual([]);
    // documents grow by one per round; chunks stay at CHUNKS: well over 3,000 rows checked.
    expect(checked).toBeGreaterThan(TENANTS * ROUNDS * (CHUNKS * 2 + 2));
  });
});
