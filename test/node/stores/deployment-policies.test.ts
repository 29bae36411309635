// The production templates in deployment/ say what the README promises: S3 access limited to
// `tenants/${aws:PrincipalTag/tenant}/*`, no public access, short presigned URLs; R2 a token on
// one bucket with Object Read & Write only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

type Values = string | string[];
interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS: Values };
  Action: Values;
  Resource?: Values;
  NotResource?: Values;
  Condition?: Record<string, Record<string, Values>>;
}
interface Policy {
  Version: string;
  Statement: Statement[];
}
interface Templates {
  Bucket: string;
  PublicAccessBlock: Record<string, boolean>;
  OwnershipControls: { Rules: Array<{ ObjectOwnership: string }> };
  BucketPolicy: Policy;
  IamRolePolicy: Policy;
  RoleTrustPolicy: Policy;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
const TENANT_TAG = '${aws:PrincipalTag/tenant}';
const list = (value: Values | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
let templates: Templates;
let r2: string;

beforeAll(async () => {
  const dir = join(process.cwd(), 'deployment');
  templates = JSON.parse(await readFile(join(dir, 's3_bucket_policy.json'), 'utf8')) as Templates;
  r2 = await readFile(join(dir, 'r2.md'), 'utf8');
});

const bySid = (policy: Policy, sid: string) => {
  const statement = policy.Statement.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`missing statement ${sid}`);
  return statement;
};

describe('deployment/s3_bucket_policy.json', () => {
  it('blocks every form of public access and disables ACLs', () => {
    expect(templates.PublicAccessBlock).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(templates.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  it('has a bucket policy that only denies, over TLS only, inside the tenant prefix only', () => {
    const policy = templates.BucketPolicy;
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.every((s) => s.Effect === 'Deny')).toBe(true);
    expect(bySid(policy, 'DenyInsecureTransport').Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    const outside = bySid(policy, 'DenyAppRoleOutsideItsTenantPrefix');
    expect(list(outside.NotResource)).toEqual([`arn:aws:s3:::${templates.Bucket}/tenants/${TENANT_TAG}/*`]);
    expect(list(outside.Action)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']));
    const listing = bySid(policy, 'DenyAppRoleListingOutsideItsTenantPrefix');
    expect(listing.Condition?.StringNotLike).toEqual({ 's3:prefix': `tenants/${TENANT_TAG}/*` });
    expect(bySid(policy, 'DenyAppRoleWithoutTenantTag').Condition?.Null).toEqual({ 'aws:PrincipalTag/tenant': 'true' });
  });

  it('caps presigned URL age at 5 minutes for uploads and 15 for downloads', () => {
    const age = (sid: string) =>
      Number(bySid(templates.BucketPolicy, sid).Condition?.NumericGreaterThan?.['s3:signatureAge']);
    expect(age('DenyPresignedUploadsOlderThan5Minutes')).toBeLessThanOrEqual(300_000);
    expect(age('DenyPresignedDownloadsOlderThan15Minutes')).toBeLessThanOrEqual(900_000);
  });

  it('grants the role nothing outside its tenant prefix of one bucket', () => {
    const policy = templates.IamRolePolicy;
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(list(statement.Action).every((a) => /^s3:(Get|Put|Delete)Object$|^s3:ListBucket$/.test(a))).toBe(true);
      for (const resource of list(statement.Resource)) {
        if (resource === `arn:aws:s3:::${templates.Bucket}`) {
          expect(statement.Condition?.StringLike).toEqual({ 's3:prefix': `tenants/${TENANT_TAG}/*` });
        } else {
          expect(resource).toBe(`arn:aws:s3:::${templates.Bucket}/tenants/${TENANT_TAG}/*`);
        }
      }
    }
  });

  it('lets the role be assumed only with a uuid-shaped tenant session tag', () => {
    const [trust] = templates.RoleTrustPolicy.Statement;
    expect(trust?.Principal).not.toBe('*');
    expect(list(trust?.Action)).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(trust?.Condition?.StringLike?.['aws:RequestTag/tenant']).toBe('????????-????-????-????-????????????');
  });

  it('allows nothing to everyone anywhere', () => {
    const all = [templates.BucketPolicy, templates.IamRolePolicy, templates.RoleTrustPolicy].flatMap(
      (p) => p.Statement,
    );
    for (const statement of all.filter((s) => s.Effect === 'Allow')) {
      expect(statement.Principal).not.toBe('*');
      expect(list(statement.Action)).not.toContain('s3:*');
      expect(list(statement.Resource)).not.toContain('*');
    }
  });
});

describe('deployment/r2.md', () => {
  it('writes down a bucket-scoped, object-only token kept as secrets, and a private bucket', () => {
    for (const step of [
      'Object Read & Write',
      'Apply to specific buckets only',
      'R2.dev subdomain disabled',
      'wrangler secret put S3_ACCESS_KEY_ID',
      'wrangler secret put S3_SECRET_ACCESS_KEY',
      'r2.cloudflarestorage.com',
      'AllowedHeaders',
    ]) {
      expect(r2).toContain(step);
    }
    expect(r2).toMatch(/never Admin Read & Write/i);
  });
});
