import { describe, expect, it } from 'vitest';

import { tokenize } from '../../src/extract/entities/tokens.ts';

const joined = (body: string) => tokenize(body, []).tokens.map((t) => `${t.text}${t.joined ? '+' : ''}`);

describe('tokenize', () => {
  it('joins words across blanks and one line break, and across the dot of an initial or title', () => {
    expect(joined('Stephen R. Kelly met\nAmb. Aguirre')).toEqual(['Stephen', 'R+', 'Kelly+', 'met+', 'Amb+', 'Aguirre+']);
  });

  it('does not join across a blank line or punctuation', () => {
    expect(joined('Kelly\n\nAguirre, Lula')).toEqual(['Kelly', 'Aguirre', 'Lula']);
  });

  it('takes a run of hundreds of thousands of blanks before punctuation in its stride', () => {
    // Such a run once cost the joining pattern quadratic backtracking (90 s for a 490 KB line).
    const tokens = tokenize(`Lula${' '.repeat(400_000)}, Dilma`, []).tokens;
    expect(tokens.map((t) => t.joined)).toEqual([false, false]);
  });
});
