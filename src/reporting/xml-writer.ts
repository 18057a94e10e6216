/*
 * A small streaming XML writer for the appliance APIs' answers. Whatever strings it is handed,
 * what it writes is well-formed XML 1.0: markup characters are escaped, and characters XML 1.0
 * cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) never reach the
 * output — text that must survive them goes out as `encoded_body` (base64), as the appliance
 * does for chat and notes; anywhere else they become U+FFFD.
 */

/** A character XML 1.0 cannot carry, escaped or not (its `Char` production). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/*
 * The fast paths: most text has none of these, and one search without the `u` flag (which is
 * several times slower) settles it. A surrogate here may still be half of a valid pair.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
const TEXT_WORK = /[\u0000-\u0008\u000B\u000C\u000E-\u001F&<>\r\uD800-\uDFFF\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
const ATTRIBUTE_WORK = /[\u0000-\u001F&<>"\uD800-\uDFFF\uFFFE\uFFFF]/;

/** True when every character of `text` can be written in an XML 1.0 document. */
export function isXmlText(text: string): boolean {
  return !SUSPECT.test(text) || !NOT_XML_CHAR.test(text);
}

/** `text` with each character XML 1.0 cannot carry replaced by U+FFFD. */
export function toXmlText(text: string): string {
  return isXmlText(text) ? text : text.replace(NOT_XML_CHARS, '\uFFFD');
}

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A bare CR would be read back as LF (end-of-line handling); the reference keeps it.
  '\r': '&#13;',
};
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  // Attribute-value normalization would turn these into spaces.
  '\t': '&#9;',
  '\n': '&#10;',
};

/** Character data for an element's content. */
export function escapeText(text: string): string {
  if (!TEXT_WORK.test(text)) return text;
  return toXmlText(text).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] as string);
}

/** A value for a double-quoted attribute. */
export function escapeAttribute(text: string): string {
  if (!ATTRIBUTE_WORK.test(text)) return text;
  return toXmlText(text).replace(/[&<>"\r\t\n]/g, (c) => ATTRIBUTE_ESCAPES[c] as string);
}

/** Base64 of the UTF-8 of `text` (lone surrogates become U+FFFD first, as UTF-8 requires). */
export function base64Text(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Attributes in the order written; an undefined value leaves the attribute out. */
export type Attributes = Record<string, string | number | undefined>;

/** Element and attribute names are the program's own constants, never input: checked anyway. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`not an XML name: ${JSON.stringify(name)}`);
  return name;
}

function attributeText(attributes: Attributes | undefined): string {
  if (attributes === undefined) return '';
  let out = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out += ` ${checkName(name)}="${escapeAttribute(String(value))}"`;
  }
  return out;
}

/**
 * Writes one document into a buffer that the caller empties with `take()` as it goes, so a
 * document of any length is sent in pieces. Elements are closed in order; `end()` checks that
 * every element opened was closed.
 */
export class XmlWriter {
  private buffer = '';
  private readonly open: string[] = [];

  /** The XML declaration (UTF-8). */
  declaration(): this {
    this.buffer += '<?xml version="1.0" encoding="UTF-8"?>\n';
    return this;
  }

  /** `<name …>`: its content follows until `close()`. */
  start(name: string, attributes?: Attributes): this {
    this.buffer += `<${checkName(name)}${attributeText(attributes)}>`;
    this.open.push(name);
    return this;
  }

  /** Closes the element opened last. */
  close(): this {
    const name = this.open.pop();
    if (name === undefined) throw new Error('no element is open');
    this.buffer += `</${name}>`;
    return this;
  }

  /** `<name …>text</name>`, or `<name …/>` when `text` is empty. */
  element(name: string, text: string | number = '', attributes?: Attributes): this {
    const content = escapeText(String(text));
    const head = `${checkName(name)}${attributeText(attributes)}`;
    this.buffer += content === '' ? `<${head}/>` : `<${head}>${content}</${name}>`;
    return this;
  }

  /** A line break between elements, for readers of the raw text. */
  newline(): this {
    this.buffer += '\n';
    return this;
  }

  /** What was written since the last call. */
  take(): string {
    const out = this.buffer;
    this.buffer = '';
    return out;
  }

  /** Characters waiting to be taken. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Checks that the document is complete; returns what is left to take. */
  end(): string {
    if (this.open.length > 0) throw new Error(`unclosed elements: ${this.open.join(' > ')}`);
    return this.take();
  }
}
