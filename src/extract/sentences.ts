// split-sentences: the sentences of a paragraph, as spans of its text, for quoting a mention in
// context. Cables are wrapped at a fixed width (a line break is a space), written in ALL CAPS as
// often as not (a capital after a period proves nothing), and full of titles before names
// ("Amb. Jones") and initials ("Stephen R. Kelly"). One pass over the text, linear in its length.
import data from './data/sentence-abbreviations.json' with { type: 'json' };
import type { Span } from './types.ts';

export type { Span };

const ABBREVIATIONS = new Set(data.abbreviations);
const BEFORE_NUMBERS = new Set(data.beforeNumbers);
const STARTERS = new Set(data.sentenceStarters);

// End punctuation, closing quotes or brackets, then the space before the next sentence.
const END = /[.!?]+["'”’)\]]*(?=\s)/g;
// A blank line, or a line break before a bullet ("-- ", "(a) "): always the end of a sentence.
const HARD_BREAK = /\n[ \t]*(?:\n\s*|(?=(?:-{1,2}|\*|•|\([a-z0-9]{1,3}\))[ \t]))/g;
// What opens a paragraph rather than a sentence: its number ("1.", "¶2.", "- 11.") and portion marking ("(C)", "(S/NF)").
const MARKING = String.raw`\((?:U|C|S|TS|SBU|LOU|FOUO)(?:\/\/?[A-Z]{1,6})*\)`;
const PARAGRAPH_OPENING = new RegExp(
  String.raw`^(?:-[ \t]*)?(?:(?:¶[ \t]*)?\d{1,3}[ \t]*[.)][ \t]*(?:${MARKING}[ \t]*)?|${MARKING}[ \t]*)`,
);
const WORD_BEFORE = /([A-Za-z0-9.'’-]*)$/;
const NEXT_WORD = /^\s*(["“'(\[]?)([A-Za-z]+|\d+)?/;

/** Whether the period ending `word` (given without its trailing period) ends the sentence. */
function endsSentence(word: string, punctuation: string, before: string, after: string): boolean {
  if (!punctuation.startsWith('.')) return true;
  const next = NEXT_WORD.exec(after)!;
  const nextWord = next[2] ?? '';
  const opensSomething = next[1] !== '';
  // A lower-case word goes on the same sentence ("the U.S. cannot", "etc. and").
  if (!opensSomething && /^[a-z]/.test(nextWord)) return false;
  // A period inside quotes or brackets closes what they hold.
  if (punctuation !== '.') return true;
  const bare = word.replace(/^['’(-]+/, '');
  if (ABBREVIATIONS.has(bare.toLowerCase())) return false;
  if (BEFORE_NUMBERS.has(bare.toLowerCase()) && /^\d/.test(nextWord)) return false;
  // An initial: "Stephen R. Kelly", "J.D. Crouch".
  if (/^[A-Z]$/.test(bare)) return false;
  // An acronym written with periods ("U.S.", "U.N.") mostly stands before a noun; it ends a
  // sentence when what follows opens one ("... with the U.S. The Minister ...").
  if (/^(?:[A-Za-z]\.)+[A-Za-z]$/.test(bare)) return opensSomething || STARTERS.has(nextWord.toLowerCase());
  // A paragraph or list number at the start of a line or of the text ("1. (C) ...", "¶2.").
  if (/^\d{1,3}$/.test(bare) && /(?:^|\n)[ \t]*[-¶]?[ \t]*$/.test(before)) return false;
  return true;
}

/** Sentence spans of `text`, in order, without surrounding whitespace or a paragraph's number and marking. */
export function splitSentences(text: string): Span[] {
  const cuts = new Set<number>();
  for (const match of text.matchAll(HARD_BREAK)) cuts.add(match.index);
  for (const match of text.matchAll(END)) {
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    const word = WORD_BEFORE.exec(before)![1]!;
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 40);
    if (endsSentence(word.replace(/\.$/, ''), match[0], before.slice(0, before.length - word.length), after)) {
      cuts.add(match.index + match[0].length);
    }
  }
  const spans: Span[] = [];
  let start = 0;
  for (const cut of [...[...cuts].sort((a, b) => a - b), text.length]) {
    let from = start;
    let to = cut;
    while (from < to && /\s/.test(text[from]!)) from++;
    const opening = PARAGRAPH_OPENING.exec(text.slice(from, to))?.[0].length ?? 0;
    if (opening < to - from) from += opening;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    if (to > from) spans.push({ start: from, end: to });
    start = Math.max(start, cut);
  }
  return spans;
}

/**
 * The sentence holding the span [start, end) of `text`: the union of the sentences it overlaps
 * (a span astride a boundary guessed wrong takes both), whitespace collapsed.
 */
export function sentenceAround(text: string, sentences: readonly Span[], start: number, end: number): string {
  const overlapping = sentences.filter((s) => s.start < Math.max(end, start + 1) && s.end > start);
  const from = overlapping.length ? overlapping[0]!.start : 0;
  const to = overlapping.length ? overlapping[overlapping.length - 1]!.end : text.length;
  return text.slice(from, to).replace(/\s+/g, ' ').trim();
}
