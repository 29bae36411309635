// Reads a policy expression as Postgres prints it (pg_get_expr) and answers one question: does it
// call current_setting() outside a parenthesised sub-SELECT? Inside one, Postgres evaluates the
// call once per statement (an InitPlan); outside, once per row, and the planner cannot use it as
// an index condition.

/** True when `expression` calls current_setting outside every `( SELECT … )` group. */
export function settingsOutsideScalarSubquery(expression: unknown): boolean {
  if (typeof expression !== 'string') return false;
  return /\bcurrent_setting\s*\(/i.test(withoutSubqueries(expression));
}

/** The expression with every `( SELECT … )` group removed; string literals are kept intact. */
export function withoutSubqueries(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === "'") {
      const end = endOfLiteral(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (text[i] === '(' && /^\(\s*select\b/i.test(text.slice(i))) {
      i = endOfGroup(text, i);
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/** Index just past the literal opening at `start` ('' inside a literal is an escaped quote). */
function endOfLiteral(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "'" && text[i + 1] === "'") i += 2;
    else if (text[i] === "'") return i + 1;
    else i++;
  }
  return text.length;
}

/** Index just past the parenthesis matching the one at `start`. */
function endOfGroup(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") {
      i = endOfLiteral(text, i);
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')' && --depth === 0) return i + 1;
    i++;
  }
  return text.length;
}
