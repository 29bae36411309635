// docs/threat-model.md T50, HTML: parsed by a real HTML parser (the WHATWG tokenizer), never by
// regular expressions. What is markup and what is text is decided as a browser decides it, entities
// are decoded once, in text only, and what a reader does not see (scripts, styles, comments, hidden
// templates) never reaches a chunk, however the document is malformed. Chunk text is untrusted
// text: an escaped `<script>` in a page is, correctly, the literal text `<script>` in its chunk.
import { describe, expect, it } from 'vitest';
import { documentLimits } from './document-limits.ts';
import { extractText } from './extract-text.ts';
import { htmlToText } from './html-to-text.ts';

const count = (text: string, word: string) => text.split(word).length - 1;

describe('htmlToText', () => {
  it('an escaped script is literal text; a real one, even ended by </script foo>, never appears', async () => {
    const html =
      '<p>Docs say: &lt;script&gt;alert(1)&lt;/script&gt;</p>' +
      '<script>var token = "do-not-index";</script foo><style>p { color: red }</style foo><p>after</p>';
    expect(await htmlToText(html)).toBe('Docs say: <script>alert(1)</script>\n\nafter');
    expect(await htmlToText('<p>shown</p><script>var leaked = 1;')).toBe('shown');
  });

  it('decodes entities once, in text only; attribute values are never text', async () => {
    expect(await htmlToText('<p>&amp;lt;b&amp;gt; &eacute;t&eacute; &copy 2024 &#x1F600;</p>')).toBe(
      '&lt;b&gt; été © 2024 😀',
    );
    expect(await htmlToText('<p title="a>b" data-x=\'<script>x</script>\'>visible</p>')).toBe('visible');
  });

  it('block elements become line breaks; inline ones join words; cells are spaced', async () => {
    const html =
      '<h1>Title</h1><p>One<br>two</p><ul><li>a</li><li>b</li></ul><dl><dt>Term</dt><dd>Meaning</dd></dl>' +
      '<table><tr><td>c1</td><td>c2</td></tr></table><p>wo<b>rd</b> <i>next</i></p>';
    expect(await htmlToText(html)).toBe('Title\n\nOne\ntwo\n\na\n\nb\n\nTerm\n\nMeaning\n\nc1 c2\n\nword next');
  });

  it('a malformed or unclosed document still extracts, and hidden parts stay hidden', async () => {
    expect(await htmlToText('<html><body><div><p>Unclosed <b>bold <i>text<p>Second<li>item')).toBe(
      'Unclosed bold text\n\nSecond\n\nitem',
    );
    expect(await htmlToText('<p>shown</p><!-- never closed <p>hidden</p>')).toBe('shown');
    expect(await htmlToText('<p>a < b and c > d</p><p>x<y</p>')).toBe('a < b and c > d\n\nx');
    const hidden =
      '<head><title>T</title><noscript>enable js</noscript></head><template><p>tpl</p></template>' +
      '<svg><text>label</text></svg><p>café — ü</p>';
    expect(await htmlToText(`<meta charset="windows-1252">${hidden}`)).toBe('café — ü');
  });

  it('is linear: a megabyte of nested divs, unclosed paragraphs or unclosed styles', async () => {
    expect(await htmlToText(`${'<div>'.repeat(90_000)}deep${'</div>'.repeat(90_000)}`)).toBe('deep');
    const paragraphs = await htmlToText('<p>para'.repeat(140_000));
    expect(count(paragraphs, 'para')).toBe(140_000);
    expect(count(paragraphs, '\n\n')).toBe(139_999);
    expect(await htmlToText(`<p>para</p>${'<style>'.repeat(140_000)}`)).toBe('para');
    expect(await htmlToText(`<p>para</p>${'<!--'.repeat(250_000)}`)).toBe('para');
  });

  it('stops at the per-document text limit, naming it', async () => {
    const limits = documentLimits(1000, { size: 200, overlap: 20 });
    const html = new TextEncoder().encode('<p>words and more words</p>'.repeat(200));
    await expect(extractText('text/html', html, limits)).rejects.toThrow(/longer than 2000 characters/);
  });
});
