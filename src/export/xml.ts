// Text for XML formats: the five special characters escaped by the `entities` package; tab and
// line breaks as character references, since parsers turn literal ones in attribute values into
// spaces (GEXF labels); characters XML 1.0 cannot carry at all (other C0 controls, unpaired
// surrogates, U+FFFE/U+FFFF) dropped, since no escape can stand for them.
import { escapeUTF8 } from 'entities/escape';

const WHITESPACE_REFERENCES: Record<string, string> = { '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const NOT_IN_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escaped for an XML attribute value or text node. */
export function xmlText(value: string | number): string {
  return escapeUTF8(String(value).replace(NOT_IN_XML, '')).replace(/[\t\n\r]/g, (c) => WHITESPACE_REFERENCES[c]!);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
