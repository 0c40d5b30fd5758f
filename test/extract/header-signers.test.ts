import { describe, expect, it } from 'vitest';

import { parseSigners } from '../../src/extract/header/signers.ts';

describe('signers', () => {
  it('finds the name on the last line', () => {
    expect(parseSigners('4. (C) We will report.\n\nDOE\n')).toEqual(['DOE']);
    expect(parseSigners('End Comment.\nRoe')).toEqual(['Roe']);
  });

  it('skips transmission residue after the name', () => {
    const text = '6. END COMMENT.\nSMITH\n                       CONFIDENTIAL\n\nPAGE 03        LIMA  01234  03 OF 03  071629Z\n\nNNNN\n';
    expect(parseSigners(text)).toEqual(['SMITH']);
    expect(parseSigners('text.\nJONES##\n')).toEqual(['JONES']);
    expect(parseSigners('text.\n\nPOE\n\nNOTE BY OC/T: HEADING AS RECEIVED.\n')).toEqual(['POE']);
    expect(parseSigners("text.\nVisit Oslo's Classified Website: http://example.sgov.gov/p/oslo\nWHITE\n")).toEqual(['WHITE']);
  });

  it('finds a name run into the last line of text', () => {
    expect(parseSigners('albeit without passage due to veto. GRAY')).toEqual(['GRAY']);
    expect(parseSigners('we will follow up next week. Black')).toEqual(['Black']);
    expect(parseSigners('as the cash flows. BROWN 2008-01-08')).toEqual(['BROWN']);
  });

  it('returns nothing when the cable ends in text', () => {
    expect(parseSigners('2. (C) The meeting ended without agreement.')).toEqual([]);
    expect(parseSigners('END COMMENT.\n')).toEqual([]);
  });
});

describe('signers: sign-offs on the name line', () => {
  it('drops what precedes the name on its line', () => {
    expect(parseSigners('text.\nEND COMMENT THORNE\n')).toEqual(['THORNE']);
    expect(parseSigners('QUOTE text. UNQUOTE\nRICE UNQUOTE RICE\n')).toEqual(['RICE']);
    expect(parseSigners('text.\n XXXXXXXXXXX STONE\n')).toEqual(['STONE']);
    expect(parseSigners('We will report. End Comment. END COMMENT RAY')).toEqual(['RAY']);
  });
});

describe('signers: names after markers and addresses', () => {
  it('reads mixed-case surnames with inner capitals, names after END markers and after web addresses', () => {
    expect(parseSigners('Post will continue to report as warranted. McMullen')).toEqual(['McMullen']);
    expect(parseSigners('SERIAL NUMBERS WOULD HELP.\n\nEND TALKING POINTS. RICE\nNNNN')).toEqual(['RICE']);
    expect(parseSigners("Visit Oslo's Classified Website: http://www.intelink.sgov.gov/wiki/Portal:Nor way STONE")).toEqual(['STONE']);
    expect(parseSigners('text.\nMURRAY .\n')).toEqual(['MURRAY']);
  });
});
