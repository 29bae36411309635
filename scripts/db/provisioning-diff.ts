// The changes applying a provisioning document would make, one line each, in the order seeding
// makes them. Additive like seeding: rows the document does not name are listed as left alone,
// never as removed (removing a tenant is the erasure job, a key is revoked, not deleted).
import type { ProvisionedTenant, Provisioning } from '../../src/tenancy/registry-schema.ts';
import type { CurrentKey, CurrentTenant } from './provisioning-state.ts';

/** Canonical JSON (sorted keys), so equal settings compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function diffProvisioning(desired: Provisioning, current: Map<string, CurrentTenant>): string[] {
  return desired.tenants.flatMap((tenant) => diffTenant(tenant, current.get(tenant.id)));
}

function diffTenant(tenant: ProvisionedTenant, current: CurrentTenant | undefined): string[] {
  const name = `tenant ${tenant.slug}`;
  if (!current) {
    return [`+ ${name} (${tenant.id}): new, ${tenant.projects.length} project(s), ${tenant.apiKeys.length} key(s)`];
  }
  const changes: string[] = [];
  const fields: Array<[string, unknown, unknown]> = [
    ['slug', tenant.slug, current.slug],
    ['name', tenant.name, current.name],
    ['status', tenant.status, current.status],
    ['allowedOrigins', tenant.allowedOrigins, current.allowedOrigins],
    ['features', tenant.features, current.features],
    ['limits', tenant.limits, current.limits],
    ['jwt', tenant.jwt ?? null, current.jwt],
  ];
  for (const [field, want, have] of fields) {
    if (canonical(want) !== canonical(have))
      changes.push(`~ ${name}: ${field} ${canonical(have)} → ${canonical(want)}`);
  }
  for (const project of tenant.projects) {
    const have = current.projects.get(project.id);
    if (have === undefined) changes.push(`+ ${name}: project ${project.id} "${project.name}"`);
    else if (have !== project.name) changes.push(`~ ${name}: project ${project.id} name "${have}" → "${project.name}"`);
  }
  for (const [id] of current.projects) {
    if (!tenant.projects.some((p) => p.id === id))
      changes.push(`  ${name}: project ${id} not in the file (left alone)`);
  }
  for (const member of tenant.members ?? []) {
    const have = current.members.get(`${member.projectId} ${member.userId}`);
    const who = `member ${member.userId} in project ${member.projectId}`;
    if (have === undefined) changes.push(`+ ${name}: ${who} as ${member.role}`);
    else if (have !== member.role) changes.push(`~ ${name}: ${who} role ${have} → ${member.role}`);
  }
  for (const key of tenant.apiKeys) {
    const have = current.keys.get(key.id);
    if (!have) {
      changes.push(`+ ${name}: ${key.kind} key ${key.id}${key.revoked ? ' (revoked)' : ''}`);
      continue;
    }
    const differs = keyDifferences(key, have);
    if (differs.length > 0) changes.push(`~ ${name}: key ${key.id} ${differs.join(', ')}`);
  }
  return changes;
}

function keyDifferences(key: ProvisionedTenant['apiKeys'][number], have: CurrentKey): string[] {
  const differs: string[] = [];
  if (key.hash !== have.hash) differs.push('hash');
  if (key.kind !== have.kind) differs.push(`kind ${have.kind} → ${key.kind}`);
  if (canonical(key.scopes) !== canonical(have.scopes))
    differs.push(`scopes ${canonical(have.scopes)} → ${canonical(key.scopes)}`);
  const sorted = (projects: 'all' | readonly string[]) => (projects === 'all' ? 'all' : [...projects].sort());
  if (canonical(sorted(key.projects)) !== canonical(sorted(have.projects))) differs.push('projects');
  if (key.revoked !== have.revoked) differs.push(key.revoked ? 'revoked' : 'un-revoked');
  if ((key.label ?? null) !== have.label) differs.push('label');
  return differs;
}
