// The RLS guard's catalogue checks: each rule is one SQL query whose rows are violations, named by
// object. Plain SQL through a `query` function, so the same rules run from Node (pg, the CLI) and
// inside workerd (the Neon driver, test/worker/db/catalogue.test.ts).
import { privilegeRules } from './check-rls-privileges.ts';
import {
  type CatalogueOptions,
  type CatalogueRule,
  DEFAULT_OPTIONS,
  type Query,
  RULE_PRELUDE,
  type Violation,
} from './check-rls-rules.ts';
import { schemaLintRules } from './check-rls-schema-lints.ts';
import { tableRules } from './check-rls-tables.ts';

/** The isolation walls: what checkCatalogue checks unless told otherwise. */
export const WALL_RULES: readonly CatalogueRule[] = [...tableRules, ...privilegeRules];
/** What `npm run check:rls` checks: the walls and the schema lints (check-rls-schema-lints.ts). */
export const ALL_RULES: readonly CatalogueRule[] = [...WALL_RULES, ...schemaLintRules];

export async function checkCatalogue(
  query: Query,
  options: CatalogueOptions = DEFAULT_OPTIONS,
  rules: readonly CatalogueRule[] = WALL_RULES,
): Promise<Violation[]> {
  const roleExists = await query('select 1 from pg_roles where rolname = $1', [options.runtimeRole]);
  if (roleExists.length === 0) {
    return [{ rule: 'runtime-role', object: options.runtimeRole, detail: 'the runtime role does not exist' }];
  }
  const violations: Violation[] = [];
  for (const rule of rules) {
    const rows = await query(RULE_PRELUDE + rule.sql, [options.runtimeRole, options.allowedDefinerFunctions]);
    for (const row of rows.filter(rule.keep ?? (() => true))) {
      violations.push({ rule: rule.rule, object: String(row.object), detail: String(row.detail) });
    }
  }
  return violations;
}
