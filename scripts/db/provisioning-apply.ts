// `npm run tenants:apply`'s engine, also what `npm run dev` and the test setup provision with: the
// document checked against configs/tenants/schema.json (the JSON Schema, as ajv-cli does) and the
// registry's own cross-tenant rules, the diff against the database, and — when applying — the
// seed in one transaction, then the diff again, which must be empty.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { Provisioning } from '../../src/tenancy/registry-schema.ts';
import { diffProvisioning } from './provisioning-diff.ts';
import { readProvisioningState } from './provisioning-state.ts';
import { PROVISIONING_FILE, readProvisioning, seed } from './seeding.ts';

export const SCHEMA_FILE = join(import.meta.dirname, '..', '..', 'configs', 'tenants', 'schema.json');

export class ProvisioningInvalidError extends Error {
  override name = 'ProvisioningInvalidError';
}

/** The file, valid against schema.json and the registry's rules; throws naming every bad field. */
export async function loadProvisioning(file = PROVISIONING_FILE): Promise<Provisioning> {
  const [schema, document] = await Promise.all(
    [SCHEMA_FILE, file].map(async (path) => JSON.parse(await readFile(path, 'utf8')) as unknown),
  );
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema as object);
  if (!validate(document)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
    throw new ProvisioningInvalidError(`${file} does not match schema.json: ${problems.join('; ')}`);
  }
  return readProvisioning(file);
}

export interface ApplyResult {
  /** What differed before (the dry run's answer). */
  changes: string[];
  /** Rows written; 0 on a dry run and on a second run. */
  written: number;
}

export async function applyProvisioning(
  adminUrl: string,
  provisioning: Provisioning,
  options: { apply: boolean },
): Promise<ApplyResult> {
  const changes = diffProvisioning(provisioning, await readProvisioningState(adminUrl, provisioning));
  const pending = changes.filter((line) => !line.startsWith(' '));
  if (!options.apply || pending.length === 0) return { changes, written: 0 };
  const written = await seed(adminUrl, provisioning);
  const left = diffProvisioning(provisioning, await readProvisioningState(adminUrl, provisioning)).filter(
    (line) => !line.startsWith(' '),
  );
  if (left.length > 0) throw new Error(`applied, but the database still differs: ${left.join('; ')}`);
  return { changes, written };
}
