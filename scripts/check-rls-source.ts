// The RLS guard's source rule: nothing in src/ may set a setting or a role for the session. A
// session-level setting outlives the request on a pooled connection and hands the next request
// the previous tenant (docs/threat-model.md T20). Only set_config(…, true) and SET LOCAL are allowed.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Violation } from './check-rls-rules.ts';

const SOURCE_FILE = /\.(ts|js|mjs|sql)$/;
// SET [SESSION] ROLE / SESSION AUTHORIZATION / a dotted custom setting, without LOCAL.
const SESSION_SET = /\bset\s+(?:session\s+)?(?:role\b|session\s+authorization\b|[a-z_]+\.[a-z_]+\s*(?:=|to\b))/gi;

export async function checkSource(srcDir: string): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const file of await sourceFiles(srcDir)) {
    const text = await readFile(file, 'utf8');
    const where = (index: number) => `${relative(process.cwd(), file)}:${lineOf(text, index)}`;
    for (const call of setConfigCalls(text)) {
      if (call.isLocal !== undefined && call.isLocal !== 'true') {
        violations.push({
          rule: 'session-set-config',
          object: where(call.index),
          detail: `set_config(…, ${call.isLocal}): only set_config(…, true) is transaction-local`,
        });
      }
    }
    for (const match of text.matchAll(SESSION_SET)) {
      violations.push({
        rule: 'session-set',
        object: where(match.index),
        detail: `"${match[0]}" without LOCAL sets it for the whole session`,
      });
    }
  }
  return violations;
}

/**
 * Each set_config( call with its is_local argument as written (trimmed, lower case): the third, or
 * the last when prose elides the others (`set_config(…, false)`); undefined when there is none.
 */
export function setConfigCalls(text: string): Array<{ index: number; isLocal: string | undefined }> {
  const calls: Array<{ index: number; isLocal: string | undefined }> = [];
  for (const match of text.matchAll(/\bset_config\s*\(/gi)) {
    const args = topLevelArguments(text, match.index + match[0].length).map((arg) => arg.trim().toLowerCase());
    const last = args.at(-1);
    calls.push({ index: match.index, isLocal: args.length >= 3 ? args[2] : last === 'false' ? last : undefined });
  }
  return calls;
}

/** Splits the argument list starting at `start` (just after its `(`) on top-level commas. */
function topLevelArguments(text: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = start; i < text.length; i++) {
    const ch = text[i] as string;
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) {
      if (depth === 0) break;
      depth--;
    }
    if (ch === ',' && depth === 0) {
      args.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  args.push(current);
  return args;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}
