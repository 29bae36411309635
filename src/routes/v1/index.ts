// Every tenant route under /v1, mounted by createApp behind the edge chain (request id, security
// headers, settings, body limit, tenant CORS, tenant resolution, per-tenant rate limit). Each route
// file guards its own scopes; test/worker/api/ runs the isolation suite over every route here.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.ts';
import { adminRoutes } from './admin/index.ts';
import { callerRoutes } from './caller.ts';
import { conversationStreamRoutes } from './conversation-stream.ts';
import { conversationRoutes } from './conversations.ts';
import { documentRoutes } from './documents.ts';
import { erasureRoutes } from './erasure.ts';
import { exportRoutes } from './exports.ts';
import { jobRoutes } from './jobs.ts';
import { retrievalRoutes } from './retrieval.ts';

export const v1Routes = new Hono<AppEnv>()
  // First: its GET and DELETE under /conversations answer before the conversation routes' guards.
  .route('/', adminRoutes)
  .route('/documents', documentRoutes)
  // Before the conversation routes: it answers only requests asking for text/event-stream.
  .route('/conversations', conversationStreamRoutes)
  .route('/conversations', conversationRoutes)
  .route('/', retrievalRoutes)
  .route('/', callerRoutes)
  .route('/jobs', jobRoutes)
  .route('/erasure', erasureRoutes)
  .route('/exports', exportRoutes);
