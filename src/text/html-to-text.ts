// HTML to the text a reader sees, without a DOM (Workers have none): comments and non-content
// elements dropped whole, block elements turned into line breaks, remaining tags removed,
// entities decoded. Good enough for retrieval; never used to produce HTML again.

const DROPPED = /<(script|style|noscript|template|svg|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const DECLARATION = /<[!?][^>]*>/g; // <!doctype …>, <?xml …?>
const BLOCK =
  /<\/?(p|div|section|article|header|footer|main|aside|nav|h[1-6]|li|ul|ol|tr|table|blockquote|pre|br|hr)\b[^>]*>/gi;
const TAG = /<\/?[a-zA-Z][^>]*>/g;

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  copy: '©',
  reg: '®',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED[name.toLowerCase()] ?? entity;
  });
}

export function htmlToText(html: string): string {
  const text = html
    .replace(COMMENT, ' ')
    .replace(DECLARATION, ' ')
    .replace(DROPPED, ' ')
    .replace(BLOCK, '\n\n')
    .replace(TAG, ' ');
  return decodeEntities(text)
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
