import { describe, expect, it } from 'vitest';

import { cableStandaloneNames, standaloneNames } from '../../src/extract/entities/standalone-names.ts';

const names = (text: string, occupied: [number, number][] = []) =>
  standaloneNames(text, 100, (start, end) => occupied.some(([a, b]) => start < b + 100 && end > a + 100)).map((n) => [
    n.text,
    n.start - 100,
  ]);

describe('standalone-names', () => {
  it('finds capitalized words that stand alone as a surname would, with their offsets in the body', () => {
    const text = "Merchants were pressuring Ahmadinejad over policy. Rafsanjani and Ahmadinejad's allies met President Karzai.";
    expect(names(text)).toEqual([
      ['Ahmadinejad', text.indexOf('Ahmadinejad')],
      ['Rafsanjani', text.indexOf('Rafsanjani')],
      ['Ahmadinejad', text.lastIndexOf('Ahmadinejad')],
      ['Karzai', text.indexOf('Karzai')],
    ]);
  });

  it('leaves out what extraction found, parts of longer names, ordinary words and redactions', () => {
    const text = 'Ahmed Wali Karzai met Mahmood Karzai and Boucher. Officials said XXXXXXXXXXXX would come. Then Embassy staff left.';
    expect(names(text, [[text.indexOf('Boucher'), text.indexOf('Boucher') + 7]])).toEqual([]);
    expect(names('A BLOW TO GORDON BROWN AS LABOUR LOSES. Karl-Theodor zu Guttenberg spoke.')).toEqual([]);
  });

  it('leaves out places: after "in" or "near", listed with cities, or a name after an article', () => {
    expect(names('Militants near Peshawar struck. Peshawar is tense.')).toEqual([]);
    expect(names('Bombings in Lahore, Karachi, Peshawar and Rawalpindi.')).toEqual([]);
    expect(names('Talks in The Hague. The Hague was quiet.')).toEqual([]);
    // An article before a name that qualifies a noun is the person's: "the Karzai government".
    const backed = 'He backed the Karzai government.';
    expect(names(backed)).toEqual([['Karzai', backed.indexOf('Karzai')]]);
    // Countries are listed with leaders, not only with places.
    const pressure = 'Pressure on Iran and Ahmadinejad grew.';
    expect(names(pressure)).toEqual([['Ahmadinejad', pressure.indexOf('Ahmadinejad')]]);
  });

  it('gives the names of a cable in text order with their paragraph, outside its mentions', () => {
    const first = 'Merchants were pressuring Ahmadinejad over policy.';
    const second = 'Rafsanjani met Boucher.';
    const paragraphs = [
      { position: 1, start: first.length + 2, text: second },
      { position: 0, start: 0, text: first },
    ];
    const boucher = first.length + 2 + second.indexOf('Boucher');
    expect(cableStandaloneNames(paragraphs, [{ start: boucher, end: boucher + 7 }])).toEqual([
      {
        text: 'Ahmadinejad',
        form: 'ahmadinejad',
        start: first.indexOf('Ahmadinejad'),
        end: first.indexOf('Ahmadinejad') + 11,
        paragraph: 0,
      },
      { text: 'Rafsanjani', form: 'rafsanjani', start: first.length + 2, end: first.length + 12, paragraph: 1 },
    ]);
  });
});
