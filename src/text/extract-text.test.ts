import { describe, expect, it } from 'vitest';
import { ApiError } from '../domain/api-error.ts';
import { mediaTypeOf, SUPPORTED_CONTENT_TYPES } from './content-types.ts';
import { extractText, IngestionFailure } from './extract-text.ts';
import { htmlToText } from './html-to-text.ts';
import { jsonToText } from './json-to-text.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('extractText', () => {
  it('reads plain text and markdown as they are, whatever the case and parameters of the type', async () => {
    expect(await extractText('text/plain', bytes('Hello'))).toBe('Hello');
    expect(await extractText('Text/Markdown; charset=utf-8', bytes('# Title\n\nBody'))).toBe('# Title\n\nBody');
    expect(mediaTypeOf(' TEXT/HTML ; charset=UTF-8')).toBe('text/html');
  });

  it('refuses anything else with 415 listing the supported types', async () => {
    for (const type of ['application/pdf', 'image/png', 'text/csv', 'application/jsonx', '']) {
      let error: unknown;
      try {
        await extractText(type, bytes('x'));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('unsupported_media_type');
      for (const supported of SUPPORTED_CONTENT_TYPES) expect((error as ApiError).message).toContain(supported);
    }
  });

  it('refuses bytes that are not UTF-8, without quoting them', async () => {
    await expect(extractText('text/plain', new Uint8Array([0xff, 0xfe, 0x41]))).rejects.toThrow(IngestionFailure);
  });
});

describe('htmlToText', () => {
  it('keeps what a reader sees and drops scripts, styles, comments and tags', async () => {
    const html = `<!doctype html><html><head><title>T</title><style>p{color:red}</style></head>
      <body><h1>Returns</h1><p>Free&nbsp;within <b>30</b> days &amp; more.</p><!-- secret note -->
      <script>var token = "do-not-index";</script><ul><li>One</li><li>Two &#x2014; &#8212;</li></ul></body></html>`;
    const text = await htmlToText(html);
    expect(text).toBe('Returns\n\nFree within 30 days & more.\n\nOne\n\nTwo — —');
    expect(text).not.toMatch(/token|secret note|color|<|>/);
  });

  it('goes through extractText for text/html', async () => {
    expect(await extractText('text/html', bytes('<p>a</p><p>b</p>'))).toBe('a\n\nb');
  });
});

describe('jsonToText', () => {
  it('writes each key once, nesting as indentation, in document order', () => {
    const json = JSON.stringify({
      faq: [{ q: 'Refunds?', a: 'Within 5 days' }, 'See also: shipping'],
      open: true,
      sizes: [1, 2, null, 3],
      version: 2,
      none: null,
      empty: {},
      grid: [[1, 2], [{ x: 'deep' }]],
    });
    expect(jsonToText(json)).toBe(
      [
        'faq:',
        '  - q: Refunds?',
        '    a: Within 5 days',
        '  - See also: shipping',
        'open: true',
        'sizes: 1, 2, 3',
        'version: 2',
        'grid:',
        '  - 1, 2',
        '  - - x: deep',
      ].join('\n'),
    );
    expect(jsonToText('"just text"')).toBe('just text');
    expect(jsonToText('[true, false]')).toBe('true, false');
  });

  it('survives deep nesting and refuses invalid JSON', async () => {
    const deep = `${'['.repeat(5000)}"bottom"${']'.repeat(5000)}`;
    expect(jsonToText(deep)).toBe(`${'- '.repeat(5000)}bottom`);
    await expect(extractText('application/json', bytes('{"a":'))).rejects.toThrow('The document is not valid JSON');
  });
});
