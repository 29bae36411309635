// A digest of everything the fuzzed tenants hold in Postgres, read as the owner: documents (with
// status and updated_at), chunks, conversations, messages, idempotency claims. A refused request
// must leave it as it was, for every tenant, not just the caller. Audit rows are left out: a
// refusal is audited by design.
import { admin } from '../db/fixtures.ts';

export async function stateFingerprint(tenantIds: string[]): Promise<string> {
  const sql = admin();
  const rows = (await sql`
    select 'documents' as t, tenant_id::text as tenant, count(*)::text as n,
           md5(string_agg(id::text || status::text || updated_at::text, ',' order by id)) as digest
      from documents where tenant_id = any(${tenantIds}::uuid[]) group by tenant_id
    union all
    select 'chunks', tenant_id::text, count(*)::text, md5(string_agg(id::text, ',' order by id))
      from chunks where tenant_id = any(${tenantIds}::uuid[]) group by tenant_id
    union all
    select 'conversations', tenant_id::text, count(*)::text,
           md5(string_agg(id::text || updated_at::text, ',' order by id))
      from conversations where tenant_id = any(${tenantIds}::uuid[]) group by tenant_id
    union all
    select 'messages', tenant_id::text, count(*)::text, md5(string_agg(id::text, ',' order by id))
      from messages where tenant_id = any(${tenantIds}::uuid[]) group by tenant_id
    union all
    select 'idempotency_keys', tenant_id::text, count(*)::text, ''
      from idempotency_keys where tenant_id = any(${tenantIds}::uuid[]) group by tenant_id
    order by 1, 2`) as Array<{ t: string; tenant: string; n: string; digest: string }>;
  return rows.map((r) => `${r.t}:${r.tenant}:${r.n}:${r.digest}`).join('\n');
}
