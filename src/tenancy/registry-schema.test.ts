// docs/threat-model.md T14: the provisioning file validates against its JSON Schema, and the runtime's zod
// parser agrees with that schema on every fixture, each refusal naming the offending field.
// schema.json declares no $schema: it is read as draft-07 (Ajv's and `npx ajv-cli validate`'s default)
// and as 2020-12 (Ajv2020), and both must give the same answers.
import Ajv, { type ErrorObject } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import provisioning from '../../configs/tenants/provisioning.json' with { type: 'json' };
import schema from '../../configs/tenants/schema.json' with { type: 'json' };
import { invalidDocuments, validDocuments } from '../../test/worker/helpers/registry-documents.ts';
import { ProvisioningSchema } from './registry-schema.ts';

const options = { allErrors: true, strictTypes: true } as const;
const validateWithAjv = new Ajv(options).compile(schema);
const validateWithAjv2020 = new Ajv2020(options).compile(schema);

function ajvErrors(document: unknown, validate = validateWithAjv): string | undefined {
  if (validate(document)) return undefined;
  const describe = (e: ErrorObject) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`;
  return (validate.errors ?? []).map(describe).join('\n');
}

function zodErrors(document: unknown): string | undefined {
  const result = ProvisioningSchema.safeParse(document);
  if (result.success) return undefined;
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n');
}

describe('configs/tenants/provisioning.json', () => {
  it('validates against schema.json with Ajv and parses with zod', () => {
    expect(ajvErrors(provisioning)).toBeUndefined();
    expect(zodErrors(provisioning)).toBeUndefined();
  });
});

describe('zod and JSON Schema agree', () => {
  it.each(Object.entries(validDocuments))('both accept %s', (_, document) => {
    expect(ajvErrors(document)).toBeUndefined();
    expect(zodErrors(document)).toBeUndefined();
  });

  it.each(Object.entries(invalidDocuments))('both reject %s, naming the field', (_, { field, document }) => {
    const fromAjv = ajvErrors(document);
    const fromZod = zodErrors(document);
    expect(fromAjv, 'Ajv accepted it').toBeDefined();
    expect(fromZod, 'zod accepted it').toBeDefined();
    expect(fromAjv).toContain(field);
    expect(fromZod).toContain(field);
  });
});

describe('schema.json reads the same as draft-07 and as 2020-12', () => {
  const documents = [
    ['the committed file', provisioning],
    ...Object.entries(validDocuments),
    ...Object.entries(invalidDocuments).map(([name, { document }]) => [name, document] as const),
  ] as const;

  it.each(documents)('%s', (_, document) => {
    expect(ajvErrors(document, validateWithAjv2020)).toBe(ajvErrors(document));
  });
});
