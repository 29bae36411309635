// `npm run tenants:apply [-- --apply] [--file path]`: configs/tenants/provisioning.json as the
// desired state. Validates it, prints what differs from the database (DATABASE_URL, or the local
// development database), and changes nothing unless --apply is given; a second --apply prints
// "no changes". Exit codes: 0 in sync or applied, 1 invalid file or failure, 2 dry run with changes.
import { parseArgs } from 'node:util';
import { withAdminDatabase } from './db/admin-database.ts';
import { migrate } from './db/migrations.ts';
import { applyProvisioning, loadProvisioning } from './db/provisioning-apply.ts';
import { PROVISIONING_FILE } from './db/seeding.ts';

const { values } = parseArgs({
  options: { apply: { type: 'boolean', default: false }, file: { type: 'string', default: PROVISIONING_FILE } },
});

try {
  const provisioning = await loadProvisioning(values.file);
  const { changes, written } = await withAdminDatabase('dev', async (adminUrl) => {
    await migrate(adminUrl);
    return applyProvisioning(adminUrl, provisioning, { apply: values.apply });
  });
  const pending = changes.filter((line) => !line.startsWith(' '));
  for (const line of changes) console.log(line);
  if (pending.length === 0) {
    console.log(`no changes: ${provisioning.tenants.length} tenant(s) in sync`);
  } else if (values.apply) {
    console.log(`applied ${pending.length} change(s) (${written} row(s) written)`);
  } else {
    console.log(`dry run: ${pending.length} change(s); run again with --apply to make them`);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`tenants:apply failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
