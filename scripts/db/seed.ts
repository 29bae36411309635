// `npm run db:seed`: tenants, projects and API keys from configs/tenants/provisioning.json into
// DATABASE_URL (an owner/admin URL), or into the local development database when it is not set.
// Migrates first, so it works on a fresh clone. Running it twice changes nothing.
import { withAdminDatabase } from './admin-database.ts';
import { migrate } from './migrations.ts';
import { readProvisioning, seed } from './seeding.ts';

try {
  const provisioning = await readProvisioning();
  const changed = await withAdminDatabase('dev', async (adminUrl) => {
    await migrate(adminUrl);
    return seed(adminUrl, provisioning);
  });
  console.log(`seeded ${provisioning.tenants.length} tenants: ${changed} row(s) inserted or changed`);
} catch (error) {
  console.error(`db:seed failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
