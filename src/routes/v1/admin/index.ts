// The tenant admin API under /v1 (docs/admin-api.md): a secret key with the admin scope, or a user
// JWT whose roles give it. Mounted first in src/routes/v1/index.ts, so GET and DELETE under
// /conversations answer here before the widget's conversation routes and their chat guards.
import { Hono } from 'hono';
import type { AppEnv } from '../../../http/app-env.ts';
import { adminApiKeyRoutes } from './api-keys.ts';
import { adminAuditRoutes } from './audit-events.ts';
import { adminConversationRoutes } from './conversations.ts';
import { adminProjectRoutes } from './projects.ts';
import { adminUsageRoutes } from './usage.ts';

export const adminRoutes = new Hono<AppEnv>()
  .route('/projects', adminProjectRoutes)
  .route('/api-keys', adminApiKeyRoutes)
  .route('/audit-events', adminAuditRoutes)
  .route('/conversations', adminConversationRoutes)
  .route('/usage', adminUsageRoutes);
