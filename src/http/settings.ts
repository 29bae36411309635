import { createMiddleware } from 'hono/factory';
import { readSettings } from '../config/settings.ts';
import type { AppEnv } from './app-env.ts';

/** Parses the Worker's settings before any routing; a bad setting fails every request closed. */
export const settings = () =>
  createMiddleware<AppEnv>(async function settings(c, next) {
    c.set('settings', readSettings(c.env));
    await next();
  });
