// `npm run db:migrate`: applies pending migrations to DATABASE_URL (an owner/admin URL), or to the
// local development database under .bulkhead/ when DATABASE_URL is not set.
import { withAdminDatabase } from './admin-database.ts';
import { migrate } from './migrations.ts';

try {
  const applied = await withAdminDatabase('dev', (adminUrl) => migrate(adminUrl));
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date: no pending migrations');
} catch (error) {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
