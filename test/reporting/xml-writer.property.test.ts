import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeBody } from '../../src/reporting/session-report.js';
import { isXmlText, toXmlText, XmlWriter } from '../../src/reporting/xml-writer.js';
import { requirePhp, runPhp } from './php.js';

/** Reads the document with libxml2 (PHP's DOM): each `t` element's children as PHP sees them. */
const READ_BACK = `
libxml_use_internal_errors(true);
$doc = new DOMDocument();
if (!$doc->loadXML(stream_get_contents(STDIN))) {
  echo json_encode(['error' => array_map(fn($e) => trim($e->message), libxml_get_errors())]);
  exit(0);
}
$out = [];
foreach ($doc->getElementsByTagName('t') as $t) {
  $item = ['attr' => $t->getAttribute('a')];
  foreach ($t->childNodes as $c) {
    if ($c->nodeType === XML_ELEMENT_NODE) $item[$c->nodeName] = $c->textContent;
  }
  $out[] = $item;
}
echo json_encode($out);
`;

/** Strings heavy in what XML escapes or cannot carry at all. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u001f',
      '\r',
      '\n',
      '\t',
      '<',
      '&',
      '>',
      '"',
      "'",
      ']]>',
      '\uD800',
      '\uDC00',
      '\uFFFE',
      '\uFFFF',
      '\u0085',
      '😀',
      'a',
      ' ',
    ),
    maxLength: 40,
  }),
);

describe('XML writer', () => {
  it('writes any strings as a well-formed document that reads back as written', async () => {
    requirePhp();
    await fc.assert(
      fc.asyncProperty(fc.array(nasty, { minLength: 1, maxLength: 20 }), async (texts) => {
        const w = new XmlWriter().declaration().start('doc');
        for (const text of texts) {
          w.start('t', { a: text });
          w.element('text', text);
          writeBody(w, text);
          w.close();
        }
        w.close();
        const read = JSON.parse(await runPhp(READ_BACK, w.end())) as
          | { error: string[] }
          | { attr: string; text: string; body?: string; encoded_body?: string }[];
        expect(read).not.toHaveProperty('error');
        const items = read as {
          attr: string;
          text: string;
          body?: string;
          encoded_body?: string;
        }[];
        expect(items).toHaveLength(texts.length);
        texts.forEach((text, i) => {
          const item = items[i] as (typeof items)[number];
          expect(item.attr).toBe(toXmlText(text));
          expect(item.text).toBe(toXmlText(text));
          if (isXmlText(text)) {
            expect(item.body).toBe(text);
            expect(item.encoded_body).toBeUndefined();
          } else {
            expect(item.body).toBeUndefined();
            const decoded = Buffer.from(item.encoded_body as string, 'base64').toString('utf8');
            expect(decoded).toBe(Buffer.from(text, 'utf8').toString('utf8'));
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('refuses names that are not XML names and documents left open', () => {
    expect(() => new XmlWriter().element('a b')).toThrow(/not an XML name/);
    expect(() => new XmlWriter().element('x', '', { 'bad"': 1 })).toThrow(/not an XML name/);
    expect(() => new XmlWriter().start('a').end()).toThrow(/unclosed elements: a/);
  });
});
