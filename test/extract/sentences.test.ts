import { describe, expect, it } from 'vitest';

import { sentenceAround, splitSentences } from '../../src/extract/sentences.ts';

const sentences = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('ends sentences at end punctuation, after closing quotes and brackets', () => {
    expect(sentences('The talks resume. Will they succeed? He said "no." Then he left (briefly.) Next one!')).toEqual([
      'The talks resume.',
      'Will they succeed?',
      'He said "no."',
      'Then he left (briefly.)',
      'Next one!',
    ]);
  });

  it('keeps titles, initials and months with what follows, in either case', () => {
    expect(sentences('Amb. Jones met Dr. Stephen R. Kelly on Feb. 5 at the MFA. J.D. Crouch was there.')).toEqual([
      'Amb. Jones met Dr. Stephen R. Kelly on Feb. 5 at the MFA.',
      'J.D. Crouch was there.',
    ]);
    expect(sentences('AMB. JONES MET GEN. SMITH. THEY AGREED.')).toEqual(['AMB. JONES MET GEN. SMITH.', 'THEY AGREED.']);
  });

  it('reads a dotted acronym as the end of a sentence only when what follows opens one', () => {
    expect(sentences('He met U.S. Deputy Secretary Armitage. The U.S. cannot wait. It relies on the U.S. The Minister agreed.')).toEqual([
      'He met U.S. Deputy Secretary Armitage.',
      'The U.S. cannot wait.',
      'It relies on the U.S.',
      'The Minister agreed.',
    ]);
  });

  it("joins wrapped lines, breaks at blank lines and bullets, and leaves out the paragraph's number and marking", () => {
    const text =
      '- 11. (C) The Minister said the\nU.S. proposal was late. He would\nwait.\n\nSECOND BLOCK HERE\n-- first item;\n-- second item.';
    expect(sentences(text).map((s) => s.replace(/\s+/g, ' '))).toEqual([
      'The Minister said the U.S. proposal was late.',
      'He would wait.',
      'SECOND BLOCK HERE',
      '-- first item;',
      '-- second item.',
    ]);
    expect(sentences('¶2. (S/NF) Summary: all is well. End summary.')).toEqual(['Summary: all is well.', 'End summary.']);
    expect(sentences('3. Thirty-three delegations came.')).toEqual(['Thirty-three delegations came.']);
  });

  it('ends a sentence at a number that closes it mid-text', () => {
    expect(sentences('The vote was held in 2003. The result stood.')).toEqual(['The vote was held in 2003.', 'The result stood.']);
  });

  it('splits a long paragraph in linear time', () => {
    const text = 'Amb. Jones met the U.S. team on Feb. 5 in Paris. The talks went well! '.repeat(5000);
    const started = performance.now();
    expect(splitSentences(text)).toHaveLength(10_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('sentenceAround', () => {
  const text = 'First sentence here. Second one names Kelly.\nThird.';
  const spans = splitSentences(text);

  it('quotes the sentence holding a span, whitespace collapsed', () => {
    const at = text.indexOf('Kelly');
    expect(sentenceAround(text, spans, at, at + 5)).toBe('Second one names Kelly.');
    expect(sentenceAround(text, spans, 0, 5)).toBe('First sentence here.');
  });

  it('takes every sentence a span runs across', () => {
    expect(sentenceAround(text, spans, text.indexOf('here'), text.indexOf('Second') + 6)).toBe(
      'First sentence here. Second one names Kelly.',
    );
  });
});
