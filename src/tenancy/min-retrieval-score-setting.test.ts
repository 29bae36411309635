// limits.minRetrievalScore: configs/tenants/schema.json (Ajv) and registry-schema.ts (zod) accept
// and refuse the same values, both document the same default, and the registry gives every tenant
// the effective value (its own, else DEFAULT_MIN_RETRIEVAL_SCORE), which reaches TenantContext.
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import schema from '../../configs/tenants/schema.json' with { type: 'json' };
import { validDocuments } from '../../test/worker/helpers/registry-documents.ts';
import { buildTenantContext } from './build-context.ts';
import { DEFAULT_MIN_RETRIEVAL_SCORE, minRetrievalScore } from './context.ts';
import { createTenantRegistry } from './registry.ts';
import { ProvisioningSchema } from './registry-schema.ts';

const validate = new Ajv2020({ allErrors: true, strictTypes: true }).compile(schema);

type Json = Record<string, unknown>;
const withScore = (value: unknown): Json => {
  const document = structuredClone(validDocuments['a complete tenant']) as { tenants: Array<{ limits: Json }> };
  const limits = (document.tenants[0] as { limits: Json }).limits;
  if (value === undefined) delete limits.minRetrievalScore;
  else limits.minRetrievalScore = value;
  return document;
};

describe('limits.minRetrievalScore', () => {
  it.each([0, 0.1, 0.35, 1, -1, -0.25])('both accept %s', (value) => {
    expect(validate(withScore(value)), JSON.stringify(validate.errors)).toBe(true);
    expect(ProvisioningSchema.safeParse(withScore(value)).success).toBe(true);
  });

  it.each([1.01, -1.5, '0.2', null, true])('both refuse %s, naming the field', (value) => {
    expect(validate(withScore(value))).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('minRetrievalScore');
    const parsed = ProvisioningSchema.safeParse(withScore(value));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).join()).toContain('minRetrievalScore');
  });

  it('is optional in both, with the same documented default', () => {
    expect(validate(withScore(undefined))).toBe(true);
    const limits = schema.$defs.tenant.properties.limits;
    expect(limits.required).not.toContain('minRetrievalScore');
    expect(limits.properties.minRetrievalScore.default).toBe(DEFAULT_MIN_RETRIEVAL_SCORE);
    const parsed = ProvisioningSchema.parse(withScore(undefined));
    expect(parsed.tenants[0]?.limits.minRetrievalScore).toBe(DEFAULT_MIN_RETRIEVAL_SCORE);
  });

  it('reaches the tenant context: the tenant’s own value, else the default', () => {
    for (const [value, effective] of [
      [0.42, 0.42],
      [undefined, DEFAULT_MIN_RETRIEVAL_SCORE],
    ] as const) {
      const registry = createTenantRegistry(withScore(value));
      const tenant = registry.byId('11111111-2222-4333-8444-555555555555');
      if (!tenant) throw new Error('the fixture tenant is missing');
      const ctx = buildTenantContext(tenant, { developmentHeader: true });
      expect(ctx?.limits.minRetrievalScore).toBe(effective);
      expect(ctx && minRetrievalScore(ctx)).toBe(effective);
    }
    // A context built by hand (tests, benches) without the field reads the default.
    const limits = { requestsPerMinute: 1, burst: 1, maxDocuments: 1, maxUploadBytes: 1, maxTopK: 1 };
    expect(minRetrievalScore({ limits })).toBe(DEFAULT_MIN_RETRIEVAL_SCORE);
  });
});
