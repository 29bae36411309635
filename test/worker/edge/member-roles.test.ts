// User JWTs are authorised by the tenant's member rows (user_project_roles, issue 13 §3): the token's
// role and projects claims only narrow them. A user with no row has no project and no scope; a
// removed member loses access at once in an isolate that has not cached its roles, and within
// TENANT_CACHE_MS in one that has (src/tenancy/member-roles.ts), even while its token is valid.
import { neon } from '@neondatabase/serverless';
import { describe, expect, it } from 'vitest';
import provisioning from '../../../configs/tenants/provisioning.json' with { type: 'json' };
import { createApp } from '../../../src/app.ts';
import { toTenantId } from '../../../src/tenancy/context.ts';
import { cachedMemberRoles, type ProjectRole } from '../../../src/tenancy/member-roles.ts';
import { TENANT_CACHE_MS } from '../../../src/tenancy/tenant-directory.ts';
import { adminSettings } from '../helpers/settings.ts';
import { call, demoTenant, globexUserToken } from './harness.ts';

const GLOBEX_PROJECT = provisioning.tenants.find((t) => t.slug === 'globex')?.projects[0]?.id as string;

async function whoami(sub: string, role: string, app = createApp()) {
  const token = await globexUserToken({ sub, role });
  const res = await call('/v1/whoami', { slug: 'globex', headers: { authorization: `Bearer ${token}` } }, app);
  expect(res.status).toBe(200);
  return (await res.json()) as { scopes: string[]; projectIds: string[] | 'all' };
}

describe('member roles decide what a user JWT may do', () => {
  it('a viewer row caps an admin claim at reading', async () => {
    const me = await whoami('globex-viewer', 'admin');
    expect(me.scopes.sort()).toEqual(['chat', 'documents:read', 'retrieval']);
    expect(me.projectIds).toEqual([GLOBEX_PROJECT]);
  });

  it('an admin row with an admin claim manages; the claim still narrows (viewer claim → no documents)', async () => {
    expect((await whoami('user-42', 'admin')).scopes).toContain('admin');
    expect((await whoami('user-42', 'viewer')).scopes.sort()).toEqual(['chat', 'retrieval']);
  });

  it('no row: no project, no scope, so every guarded route refuses', async () => {
    const me = await whoami('stranger', 'admin');
    expect(me).toMatchObject({ scopes: [], projectIds: [] });
    const token = await globexUserToken({ sub: 'stranger', role: 'admin' });
    const docs = await call('/v1/documents', { slug: 'globex', headers: { authorization: `Bearer ${token}` } });
    expect([403, 404]).toContain(docs.status); // no scope, or no project to name: refused either way
  });

  it('a removed member: refused at once where not cached, and by the cache bound where cached', async () => {
    const globex = await demoTenant('globex');
    const sub = `temp-${crypto.randomUUID()}`;
    const sql = neon(adminSettings().DATABASE_URL);
    await sql`insert into user_project_roles (tenant_id, project_id, user_id, role) values (${globex.id}, ${GLOBEX_PROJECT}, ${sub}, 'editor')`;
    const warm = createApp();
    expect((await whoami(sub, 'admin', warm)).scopes).toContain('documents:write');
    await sql`delete from user_project_roles where tenant_id = ${globex.id} and user_id = ${sub}`;
    expect((await whoami(sub, 'admin')).scopes).toEqual([]); // a new isolate: at once
    expect((await whoami(sub, 'admin', warm)).scopes).toContain('documents:write'); // cached: ≤ the bound
  });

  it('the cache bound: a change is read no later than TENANT_CACHE_MS after the cached lookup', async () => {
    let clock = 0;
    let roles: ProjectRole[] = [{ projectId: GLOBEX_PROJECT, role: 'admin' }];
    const cached = cachedMemberRoles({ rolesOf: async () => roles }, { now: () => clock });
    const tenant = toTenantId(provisioning.tenants[1]?.id as string);
    expect(await cached.rolesOf(tenant, 'u', {} as never)).toHaveLength(1);
    roles = [];
    clock = TENANT_CACHE_MS - 1;
    expect(await cached.rolesOf(tenant, 'u', {} as never)).toHaveLength(1);
    clock = TENANT_CACHE_MS;
    expect(await cached.rolesOf(tenant, 'u', {} as never)).toHaveLength(0);
  });
});
