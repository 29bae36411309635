// docs/threat-model.md T24 (source half) and issue 4's "nothing in src/ can run a tenant query without a
// context": only the context code writes the tenant settings, and only src/db reaches the driver.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

async function sourceFiles(): Promise<Array<{ path: string; text: string }>> {
  const entries = await readdir('src', { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
  return Promise.all(files.sort().map(async (path) => ({ path, text: await readFile(path, 'utf8') })));
}

const filesMatching = async (pattern: RegExp) =>
  (await sourceFiles()).filter((file) => pattern.test(file.text)).map((file) => file.path);

describe('who may touch the tenant context and the driver', () => {
  it('only the context code calls set_config', async () => {
    expect(await filesMatching(/set_config\s*\(\s*'app\./)).toEqual([
      'src/db/repositories/document-counts.ts', // app.max_documents, the batch's limit: not the context
      'src/db/tenant-context-sql.ts',
      'src/db/with-tenant.ts',
    ]);
  });

  it('only the context code and the policies name the settings', async () => {
    expect(await filesMatching(/app\.(current_tenant|allowed_projects)/)).toEqual([
      'src/db/schema/tenant-policies.ts',
      'src/db/tenant-context-sql.ts',
      'src/db/with-tenant.ts',
    ]);
  });

  it('only withTenant, withTenantTransaction, key and tenant resolution and the health probe reach the driver', async () => {
    const driver = /from '(@neondatabase\/serverless|drizzle-orm\/neon-[a-z-]+|[./]+(db\/)?neon-client\.ts)'/;
    expect(await filesMatching(driver)).toEqual([
      'src/db/api-key-resolution.ts',
      'src/db/neon-client.ts',
      'src/db/tenant-resolution.ts', // bulkhead_auth definer functions and the platform row only
      'src/db/with-tenant-transaction.ts',
      'src/db/with-tenant.ts',
      'src/routes/healthz.ts', // `select 1`: no table, no tenant
    ]);
  });

  it('withTenant and withTenantTransaction take a TenantContext first', async () => {
    const signatures = (await sourceFiles())
      .flatMap((file) => [...file.text.matchAll(/export async function (withTenant\w*)[^(]*\(\s*(\w+): (\w+)/g)])
      .map((match) => match.slice(1).join(' '));
    expect(signatures).toEqual(['withTenantTransaction ctx TenantContext', 'withTenant ctx TenantContext']);
  });
});
