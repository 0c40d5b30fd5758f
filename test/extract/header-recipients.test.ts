import { describe, expect, it } from 'vitest';

import { parseRecipients } from '../../src/extract/header/recipients.ts';

describe('recipients', () => {
  it('reads TO and INFO lines of a routing header', () => {
    const header =
      'O 071752Z FEB 07\nFM AMEMBASSY OSLO\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 1803\nINFO RUEHZG/NATO EU COLLECTIVE PRIORITY\nRUEHLA/AMCONSUL BARCELONA 2427\nXMT AMEMBASSY ROME\n';
    const { recipients, infoRecipients } = parseRecipients(header, '');
    expect(recipients).toEqual([{ route: 'RUEHC', name: 'SECSTATE WASHDC', precedence: 'IMMEDIATE', mcn: '1803', excluded: [] }]);
    expect(infoRecipients).toEqual([
      { route: 'RUEHZG', name: 'NATO EU COLLECTIVE', precedence: 'PRIORITY', mcn: null, excluded: [] },
      { route: 'RUEHLA', name: 'AMCONSUL BARCELONA', precedence: null, mcn: '2427', excluded: ['AMEMBASSY ROME'] },
    ]);
  });

  it('reads routing lines in the body and skips page-break residue', () => {
    const body = 'FM SECSTATE WASHDC\nTO PAGE 02        STATE   023763  071504Z\nAMEMBASSY OSLO PRIORITY\nINFO AMEMBASSY ROME\n\nTEXT';
    const { recipients, infoRecipients } = parseRecipients(undefined, body);
    expect(recipients.map((r) => [r.name, r.precedence])).toEqual([['AMEMBASSY OSLO', 'PRIORITY']]);
    expect(infoRecipients.map((r) => r.name)).toEqual(['AMEMBASSY ROME']);
  });

  it('does not read TO in running text', () => {
    expect(parseRecipients(undefined, 'SUBJECT: X\n\nTO THE MINISTER WE SAID NOTHING\n')).toEqual({ recipients: [], infoRecipients: [] });
  });
});
