// Request validation through @hono/zod-validator, answering in the one error envelope (its default
// hook returns the raw zod result). JSON bodies must say they are JSON (415 otherwise, rather than
// silently validating `{}`), and nesting deeper than MAX_JSON_DEPTH is a 400 before any parse, so
// no recursive step downstream can overflow the stack into a 5xx.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../domain/api-error.ts';

export const MAX_JSON_DEPTH = 32;
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Field paths and messages, never the submitted values. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const described = issues.slice(0, 10).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return `Invalid request: ${described.join('; ')}`;
}

/** Deepest bracket nesting of a JSON text, counted without recursion; strings are skipped. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92 /* \ */) i++;
      else if (char === 34 /* " */) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 /* { */ || char === 91 /* [ */) deepest = Math.max(deepest, ++depth);
    else if (char === 125 /* } */ || char === 93 /* ] */) depth--;
  }
  return deepest;
}

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  const validator = zValidator(target, schema, (result) => {
    if (!result.success) throw new ApiError('bad_request', describeIssues(result.error.issues));
  });
  if (target !== 'json') return validator;
  const guarded: typeof validator = async (c, next) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) throw new ApiError('unsupported_media_type', 'Send a JSON body');
    // Read once; Hono caches the text and the validator's JSON parse reuses it.
    if (jsonDepth(await c.req.text()) > MAX_JSON_DEPTH) {
      throw new ApiError('bad_request', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    return validator(c, next);
  };
  return guarded;
}
