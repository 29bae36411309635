// Tenant resources made through the API, as a customer would: text ingested with the tenant's
// canary, an uploaded file, a widget conversation.
import { expect } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { mintWidgetUser } from '../../../src/services/conversations/widget-user.ts';
import { createTenantRegistry } from '../../../src/tenancy/registry.ts';
import { testSettings } from '../helpers/settings.ts';
import { api, HARNESS_LIMITS, type Harness, json, type TestTenant } from './harness.ts';

/** A ready document in the tenant's first project (the one its widget key reaches). */
export async function ingestedDocument(h: Harness, tenant: TestTenant, text = `${tenant.canary} answers questions.`) {
  const res = await api(h, tenant, '/v1/ingest', {
    body: { source: 'document', title: `Doc ${tenant.canary}`, text, projectId: tenant.projectIds[0] },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ id: string }>(res)).id;
}

/** A document whose content was uploaded through its presigned URL (not yet completed). */
export async function uploadedDocument(h: Harness, tenant: TestTenant, content = `${tenant.canary} in a file.`) {
  const size = new TextEncoder().encode(content).byteLength;
  const res = await api(h, tenant, '/v1/documents', {
    body: {
      title: 'Upload',
      filename: 'upload.txt',
      contentType: 'text/plain',
      sizeBytes: size,
      projectId: tenant.projectIds[0],
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const created = await json<{ document: { id: string }; upload: { url: string; headers: Record<string, string> } }>(
    res,
  );
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: content });
  expect(put.status).toBe(200);
  return created.document.id;
}

/** A conversation started by the tenant's widget, and the anonymous widget user it was issued to. */
export async function widgetConversation(h: Harness, tenant: TestTenant) {
  const res = await api(h, tenant, '/v1/conversations', { key: 'publishable', body: {} });
  expect(res.status, await res.clone().text()).toBe(201);
  const started = await json<{ conversation: { id: string }; widgetUser: string }>(res);
  return { id: started.conversation.id, widgetUser: started.widgetUser };
}

export interface TenantSettings {
  features?: Record<string, boolean>;
  limits?: Record<string, number>;
}

/**
 * The harness's tenants and keys behind a second app whose registry gives each tenant the feature
 * flags and limits `settingsOf` returns over the harness's defaults (keys are looked up in Postgres,
 * so a registry without them still resolves the harness's keys).
 */
export function withTenantSettings(h: Harness, settingsOf: (tenant: TestTenant) => TenantSettings): Harness {
  const registry = createTenantRegistry({
    tenants: h.tenants.map((tenant) => {
      const settings = settingsOf(tenant);
      return {
        id: tenant.id,
        slug: tenant.slug,
        name: `Test ${tenant.slug}`,
        status: 'active',
        allowedOrigins: [tenant.origin],
        features: { chat: true, uploads: true, citations: true, ...settings.features },
        limits: { ...HARNESS_LIMITS, ...settings.limits },
        projects: tenant.projectIds.map((id, i) => ({ id, name: `project ${i}` })),
        apiKeys: [],
      };
    }),
  });
  return { tenants: h.tenants, app: createApp({ registry }) };
}

/** `tenant` with these feature flags; every other tenant as the harness made it. */
export const withFeatures = (h: Harness, tenant: TestTenant, features: Record<string, boolean>): Harness =>
  withTenantSettings(h, (other) => (other.id === tenant.id ? { features } : {}));

/** A widget user id signed for `tenant` with the Worker's secret, as the API issues them. */
export function widgetUserOf(tenant: TestTenant): Promise<string> {
  return mintWidgetUser(testSettings().WIDGET_USER_SECRET, tenant.id);
}
