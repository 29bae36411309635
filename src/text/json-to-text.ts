// JSON to text for retrieval, linear in the input: every key is written once, and nesting is shown
// by indentation (two spaces a level, no deeper than INDENT_LEVELS), never by repeating the path
// to each value, which made the text grow with depth times the number of values. Arrays of
// numbers and booleans are written on one line; strings, objects and arrays inside an array are
// its items ("- "). Nulls and empty containers are left out. Walked with an explicit stack, so no
// depth can overflow the call stack. For example:
//
//   faq:                  ← {"faq": [{"q": "Refunds?", "a": "Within 5 days"}],
//     - q: Refunds?           "sizes": [1, 2, 3]}
//       a: Within 5 days
//   sizes: 1, 2, 3
import { type DocumentLimits, textTooLong } from './document-limits.ts';
import { IngestionFailure } from './ingestion-failure.ts';

/** Indentation stops growing here; deeper levels are written at this one. */
export const INDENT_LEVELS = 4;
const INDENTS = Array.from({ length: INDENT_LEVELS + 1 }, (_, level) => '  '.repeat(level));
const indent = (depth: number) => INDENTS[Math.min(depth, INDENT_LEVELS)] as string;

type Inline = number | boolean;
const isInline = (value: unknown): value is Inline => typeof value === 'number' || typeof value === 'boolean';
const isEmpty = (value: unknown) =>
  value === null ||
  value === undefined ||
  (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && Object.keys(value).length === 0);
/** An array written on one line: numbers and booleans only (nulls left out), at least one. */
const inlineArray = (value: unknown): Inline[] | undefined => {
  if (!Array.isArray(value)) return undefined;
  const kept = value.filter((item) => item !== null);
  return kept.length > 0 && kept.every(isInline) ? kept : undefined;
};

type Task =
  /** An object member at `depth`. */
  | { kind: 'member'; key: string; value: unknown; depth: number }
  /** An array item at the array's `depth`: a string, an inline array, or a container. */
  | { kind: 'item'; value: unknown; depth: number }
  /** Consecutive numbers and booleans of an array, one item line. */
  | { kind: 'run'; values: Inline[]; depth: number }
  /** A container item is done: its "- " marker, if nothing used it, is dropped. */
  | { kind: 'end' };

/** The text of JSON `source`; IngestionFailure if it is not JSON or its text passes `limits`. */
export function jsonToText(source: string, limits?: DocumentLimits): string {
  let root: unknown;
  try {
    root = JSON.parse(source);
  } catch {
    throw new IngestionFailure('The document is not valid JSON');
  }
  const maxChars = limits?.maxTextChars ?? Number.POSITIVE_INFINITY;
  const lines: string[] = [];
  let length = 0;
  // The prefix of the next line when it is the first of a container item ("- ", or "- - " …).
  let marker: string | undefined;
  const line = (prefix: string, content: string) => {
    marker = undefined;
    lines.push(prefix + content);
    length += prefix.length + content.length + 1;
    if (length > maxChars && limits) throw textTooLong(limits);
  };
  const itemPrefix = (depth: number) => `${marker ?? indent(depth)}- `;

  const stack: Task[] = [];
  /** Pushes the contents of container `value` at `depth`, to come out in document order. */
  const pushContents = (value: object, depth: number) => {
    const tasks: Task[] = [];
    if (Array.isArray(value)) {
      let run: Inline[] = [];
      for (const item of value) {
        if (item === null || item === undefined) continue;
        if (isInline(item)) {
          run.push(item);
          continue;
        }
        if (run.length > 0) tasks.push({ kind: 'run', values: run, depth });
        run = [];
        if (!isEmpty(item)) tasks.push({ kind: 'item', value: item, depth });
      }
      if (run.length > 0) tasks.push({ kind: 'run', values: run, depth });
    } else {
      for (const [key, item] of Object.entries(value)) {
        if (!isEmpty(item)) tasks.push({ kind: 'member', key, value: item, depth });
      }
    }
    for (let i = tasks.length - 1; i >= 0; i--) stack.push(tasks[i] as Task);
  };

  if (isEmpty(root)) return '';
  if (typeof root !== 'object') return String(root);
  const rootInline = inlineArray(root);
  if (rootInline) return rootInline.join(', ');
  pushContents(root as object, 0);
  while (stack.length > 0) {
    const task = stack.pop() as Task;
    switch (task.kind) {
      case 'end':
        marker = undefined;
        break;
      case 'run':
        line(itemPrefix(task.depth), task.values.join(', '));
        break;
      case 'member': {
        const { key, value, depth } = task;
        const inline = inlineArray(value);
        if (typeof value !== 'object') line(marker ?? indent(depth), `${key}: ${String(value)}`);
        else if (inline) line(marker ?? indent(depth), `${key}: ${inline.join(', ')}`);
        else {
          line(marker ?? indent(depth), `${key}:`);
          pushContents(value as object, depth + 1);
        }
        break;
      }
      case 'item': {
        const { value, depth } = task;
        const inline = inlineArray(value);
        if (typeof value !== 'object') line(itemPrefix(depth), String(value));
        else if (inline) line(itemPrefix(depth), inline.join(', '));
        else {
          marker = itemPrefix(depth);
          stack.push({ kind: 'end' });
          pushContents(value as object, depth + 1);
        }
        break;
      }
    }
  }
  return lines.join('\n');
}
