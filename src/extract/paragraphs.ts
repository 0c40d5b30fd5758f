// split-paragraphs: numbered paragraphs and their portion markings.
// Placeholder first version; the header-parsing work replaces it with the full rules.
import type { Paragraph } from './types.ts';

export function splitParagraphs(body: string): Paragraph[] {
  return body.trim() ? [{ number: 0, marking: null, text: body, start: 0, end: body.length }] : [];
}
