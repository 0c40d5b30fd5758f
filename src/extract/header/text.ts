// Text conventions shared by the header stages.

// Page-break residue of multi-page cables, left in the text wherever the page ended:
//   "CONFIDENTIAL  PAGE 02  ROME 01196  01 OF 02  082030Z"  (teletype era)
//   "TRIPOLI 00000564  001.2 OF 002"                          (2000s)
const OLD_PAGE_HEADER =
  /(?:(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s|\\n)+)?PAGE\s+\d{1,3}\s+(?:[A-Z]+ ){0,3}[A-Z]+\s+\d+\s+(?:\d+\s+OF\s+\d+\s+)?\d{6}Z/g;
const NEW_PAGE_HEADER = /(?:\b[A-Z]+ ){0,3}\b[A-Z]+\s+0*\d{1,8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b/g;

export function stripPageBreaks(text: string): string {
  if (!text.includes('OF') && !text.includes('PAGE')) return text;
  return text.replace(OLD_PAGE_HEADER, ' ').replace(NEW_PAGE_HEADER, ' ');
}

// The first numbered paragraph at the start of a line ends the header block.
const FIRST_PARAGRAPH = /^[ \t]*(?:¶[ \t]*|-[ \t]*)?1[ \t]*[.)](?!\d)/m;

/** The header block: the text before the first numbered paragraph (all of it when there is none). */
export function headerBlock(body: string): string {
  const match = FIRST_PARAGRAPH.exec(body);
  return match ? body.slice(0, match.index) : body;
}

/** ASCII letters upper-cased, so that indices into the result are indices into the input. */
export function upperAscii(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
