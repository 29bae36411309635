// HTML to the text a reader sees, read by a real HTML parser: the WHATWG tokenizer of parse5
// (parse5-sax-parser), never regular expressions. The tokenizer decides what is markup and what is
// text exactly as a browser does (`</script foo>` ends a script, an attribute may hold `>`, an
// unclosed comment or script runs to the end), and decodes entities once, in text only, so
// `&lt;script&gt;` is the literal text `<script>` in a chunk and never markup. Chunk text is
// untrusted text wherever it is shown: render it as text, never as HTML.
//
// What is not shown is left out whole: script, style, noscript, template, title (with them all a
// `<head>` holds), iframe, noembed, noframes and inline SVG. Block elements become blank lines, `<br>`
// a line end, table cells a space; other whitespace collapses as it renders, except in `<pre>`.
// One pass with no tree and no stack of open elements, so depth costs nothing: linear in the input.
import { SAXParser } from 'parse5-sax-parser';
import { type DocumentLimits, textTooLong } from './document-limits.ts';
import { IngestionFailure } from './ingestion-failure.ts';

const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'title', 'iframe', 'noembed', 'noframes', 'svg']);
/** Hidden elements that can contain themselves; the others hold raw text, which ends at their end tag. */
const NESTING = new Set(['template', 'svg']);
/** Start or end tags that take the parser out of SVG (the standard's "breakout" list, and blocks). */
const LEAVES_SVG = new Set(
  (
    'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing ' +
    'menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var ' +
    'html main section article aside nav header footer td th tr form'
  ).split(' '),
);
const BLOCKS = new Set(
  (
    'address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure ' +
    'footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing main menu nav ol optgroup option ' +
    'p plaintext pre section summary table tbody textarea tfoot thead tr ul xmp'
  ).split(' '),
);
const CELLS = new Set(['td', 'th']);
/** Whitespace kept as written. */
const PREFORMATTED = new Set(['pre', 'listing', 'plaintext', 'textarea', 'xmp']);

/** The text of HTML `html`; DocumentTooLarge when it passes `limits` (parsing stops there). */
export async function htmlToText(html: string, limits?: DocumentLimits): Promise<string> {
  const maxChars = limits?.maxTextChars ?? Number.POSITIVE_INFINITY;
  const parts: string[] = [];
  let length = 0;
  let exceeded = false;
  let hidden: { tag: string; depth: number } | undefined;
  let preformatted = 0;
  /** What separates the next text from the text before it: nothing, a space, a line end, a blank line. */
  let separator: '' | ' ' | '\n' | '\n\n' = '';
  let atLineStart = true;
  let lastPart = '';

  const separate = (next: ' ' | '\n' | '\n\n') => {
    if (next === ' ') {
      if (separator === '') separator = ' ';
    } else if (separator !== '\n\n') separator = next === '\n' && separator === '\n' ? '\n\n' : next;
  };
  const push = (text: string) => {
    parts.push(text);
    lastPart = text;
    length += text.length;
    if (length > maxChars) {
      exceeded = true;
      parser.stop();
    }
  };
  const append = (raw: string) => {
    let text = raw.replaceAll('\u0000', ''); // the standard drops NUL in text
    if (preformatted === 0) text = text.replace(/[\t\n\f\r \u00a0]+/g, ' ');
    if (text === '' || (text === ' ' && (atLineStart || separator !== ''))) return;
    if (parts.length > 0 && separator !== '') {
      if (separator === ' ') {
        if (!lastPart.endsWith(' ') && !text.startsWith(' ')) push(' ');
      } else {
        trimTrailingSpaces(parts);
        push(separator);
        atLineStart = true;
      }
    }
    separator = '';
    if (atLineStart && preformatted === 0) text = text.replace(/^ /, '');
    if (text === '') return;
    push(text);
    atLineStart = text.endsWith('\n');
  };

  const parser = new SAXParser();
  parser.on('startTag', ({ tagName, selfClosing }) => {
    if (hidden) {
      if (hidden.tag === 'svg' && LEAVES_SVG.has(tagName)) hidden = undefined;
      else {
        if (tagName === hidden.tag && NESTING.has(tagName) && !selfClosing) hidden.depth++;
        return;
      }
    }
    if (HIDDEN.has(tagName)) {
      if (!(tagName === 'svg' && selfClosing)) hidden = { tag: tagName, depth: 1 };
      return;
    }
    if (BLOCKS.has(tagName)) separate('\n\n');
    else if (tagName === 'br') separate('\n');
    else if (CELLS.has(tagName)) separate(' ');
    if (PREFORMATTED.has(tagName)) preformatted++;
  });
  parser.on('endTag', ({ tagName }) => {
    if (hidden) {
      if (tagName === hidden.tag && --hidden.depth === 0) hidden = undefined;
      else if (hidden.tag === 'svg' && LEAVES_SVG.has(tagName)) hidden = undefined;
      return;
    }
    if (BLOCKS.has(tagName)) separate('\n\n');
    else if (tagName === 'br')
      separate('\n'); // `</br>` is a `<br>` to the standard
    else if (CELLS.has(tagName)) separate(' ');
    if (PREFORMATTED.has(tagName) && preformatted > 0) preformatted--;
  });
  parser.on('text', ({ text }) => {
    if (!hidden) append(text);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('finish', resolve);
      parser.on('error', reject);
      parser.end(html);
    });
  } catch {
    throw new IngestionFailure('The HTML document could not be read');
  }
  if (exceeded && limits) throw textTooLong(limits);
  trimTrailingSpaces(parts);
  return parts.join('');
}

/** Drops spaces at the end of the text so far (before a line break, or at the very end). */
function trimTrailingSpaces(parts: string[]): void {
  while (parts.length > 0) {
    const last = parts[parts.length - 1] as string;
    let end = last.length;
    while (end > 0 && last[end - 1] === ' ') end--;
    if (end > 0) {
      parts[parts.length - 1] = last.slice(0, end);
      return;
    }
    parts.pop();
  }
}
