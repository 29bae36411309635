import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import { readSettings, type Settings } from '../../../src/config/settings.ts';

/** The Worker's own settings, as the app reads them. */
export function testSettings(): Settings {
  return readSettings(env);
}

/** The same settings, but connected as the database owner: for fixtures, never for code under test. */
export function adminSettings(): Settings {
  return { ...testSettings(), DATABASE_URL: inject('stack').adminUrl };
}
