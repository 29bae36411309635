// drizzle-kit: `npx drizzle-kit generate` writes SQL migrations for src/db/schema into drizzle/.
// Roles, FORCE RLS, grants and the key-lookup function have no drizzle builder: they live in the
// hand-written migrations (`drizzle-kit generate --custom`), applied by scripts/db/migrate.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});
