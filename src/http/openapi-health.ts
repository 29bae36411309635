// The OpenAPI descriptions of /healthz and /readyz (src/routes/healthz.ts), kept here so the probe
// file stays about probing.
import { z } from 'zod';
import { describePublicRoute, json } from './openapi-describe.ts';

const Liveness = z
  .strictObject({
    status: z.literal('ok'),
    maintenance: z.literal(true).optional().describe('Present while the API is locked for maintenance'),
  })
  .meta({ id: 'Liveness' });
const Readiness = z
  .strictObject({
    status: z.enum(['ok', 'degraded']),
    checks: z.record(z.string(), z.string()).describe('Each dependency: ok, or why not (no hosts, no secrets)'),
  })
  .meta({
    id: 'Readiness',
    examples: [{ status: 'ok', checks: { postgres: 'ok', pinecone: 'ok', objectStore: 'ok', kv: 'ok' } }],
  });

export const describeHealthz = describePublicRoute({
  summary: 'Liveness: no I/O',
  tags: ['public'],
  responses: { 200: json('Alive', Liveness) },
});

export const describeReadyz = describePublicRoute({
  summary: 'Readiness: each dependency probed (one round per isolate at a time, reused for 5 s)',
  tags: ['public'],
  responses: { 200: json('Every dependency answers', Readiness), 503: json('A dependency does not', Readiness) },
});
