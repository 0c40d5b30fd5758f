import { describe, expect, it } from 'vitest';

import { nameParts } from '../../src/db/resolve/name-keys.ts';
import { clusterPersons, type PersonRecord } from '../../src/db/resolve/person-clusters.ts';

let nextId = 1;
function person(cableRef: string, name: string, extra: Partial<PersonRecord> = {}): PersonRecord {
  return {
    id: nextId++,
    identity: `${cableRef}|${nameParts(name).full}`,
    cableRef,
    date: extra.date ?? `20${cableRef.slice(0, 2)}-06-01`,
    name,
    aliases: [],
    titles: [],
    countryCode: null,
    ...extra,
  };
}

function groups(records: PersonRecord[], judgments: Parameters<typeof clusterPersons>[1] = []) {
  return clusterPersons(records, judgments)
    .map((c) =>
      c.members
        .map((m) => m.identity)
        .sort()
        .join(' + '),
    )
    .sort();
}

describe('clusterPersons', () => {
  it('folds case, accents and bare surnames into the one individual they fit', () => {
    const records = [
      person('03OTTAWA692', 'Jean Chretien', { countryCode: 'CA', titles: ['Prime Minister'], aliases: ['Chretien'] }),
      person('03OTTAWA1284', 'Chretien', { countryCode: 'CA' }),
      person('03OTTAWA900', 'JEAN CHRÉTIEN'),
      person('02OTTAWA100', 'Chrétien'),
    ];
    const clusters = clusterPersons(records);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ name: 'Jean Chretien', countryCode: 'CA' });
    expect(clusters[0]!.aliases).toEqual(expect.arrayContaining(['Chretien', 'JEAN CHRÉTIEN']));
  });

  it('keeps relatives apart and leaves an ambiguous bare surname alone with candidates', () => {
    const records = [
      person('09KABUL1', 'Hamid Karzai', { countryCode: 'AF', titles: ['President'] }),
      person('09KABUL2', 'Ahmed Wali Karzai', { countryCode: 'AF', titles: ['Provincial Council Chairman'] }),
      person('09KABUL3', 'Karzai', { countryCode: 'AF', titles: ['President'] }),
      person('09KABUL4', 'Karzai', { countryCode: 'AF' }),
    ];
    const clusters = clusterPersons(records);
    expect(groups(records)).toEqual(['09KABUL1|hamid karzai + 09KABUL3|karzai', '09KABUL2|ahmed wali karzai', '09KABUL4|karzai']);
    const alone = clusters.find((c) => c.members[0]!.cableRef === '09KABUL4')!;
    expect(alone.candidates.map((c) => c.key)).toHaveLength(2);
  });

  it('matches transliteration variants and initials', () => {
    const records = [
      person('09TRIPOLI1', 'Muammar al-Qadhafi', { countryCode: 'LY' }),
      person('09TRIPOLI2', 'Muammar Gaddafi'),
      person('09TRIPOLI3', 'QADHAFI'),
      person('03OTTAWA692', 'Stephen R. Kelly', { countryCode: 'US' }),
      person('03OTTAWA700', 'S. Kelly', { countryCode: 'US' }),
    ];
    expect(groups(records)).toEqual([
      '03OTTAWA692|stephen r kelly + 03OTTAWA700|s kelly',
      '09TRIPOLI1|muammar al-qadhafi + 09TRIPOLI2|muammar gaddafi + 09TRIPOLI3|qadhafi',
    ]);
  });

  it('takes a full name in cables from different posts for one individual, but not across decades', () => {
    const records = [
      // Extraction gives people it cannot place the post's country: the country is weak evidence.
      person('08PARIS1', 'Mahmoud Ahmadinejad', { countryCode: 'FR' }),
      person('08TEHRAN1', 'Mahmoud Ahmadinejad', { countryCode: 'IR', titles: ['President'] }),
      person('08TEHRAN2', 'Mahmoud Ahmadinejad', { countryCode: 'IR' }),
      person('09BERLIN1', 'Ahmadinejad', { countryCode: 'DE' }),
      person('08LONDON1', 'John Smith', { countryCode: 'GB' }),
      person('66LONDON1', 'Smith', { countryCode: 'GB', date: '1966-01-01' }),
      person('09LONDON1', 'Smith', { countryCode: 'GB', date: '2009-01-01' }),
    ];
    expect(groups(records)).toEqual([
      '08LONDON1|john smith + 09LONDON1|smith',
      '08PARIS1|mahmoud ahmadinejad + 08TEHRAN1|mahmoud ahmadinejad + 08TEHRAN2|mahmoud ahmadinejad + 09BERLIN1|ahmadinejad',
      '66LONDON1|smith',
    ]);
    // The country most records give.
    expect(clusterPersons(records).find((c) => c.name === 'Mahmoud Ahmadinejad')!.countryCode).toBe('IR');
  });

  it('gives a bare surname to the individual the cables name far more than namesakes', () => {
    const records = [
      ...['1', '2', '3', '4', '5', '6'].map((n) => person(`09KABUL${n}`, 'Hamid Karzai', { countryCode: 'AF' })),
      person('09KABUL7', 'Ahmed Wali Karzai', { countryCode: 'AF' }),
      person('09KABUL8', 'Karzai'),
    ];
    expect(groups(records).find((g) => g.includes('09KABUL8'))).toContain('hamid karzai');
  });

  it('gives the same clusters whatever the order of the records', () => {
    const records = [
      person('03OTTAWA692', 'Jean Chretien', { countryCode: 'CA' }),
      person('03OTTAWA1', 'Chretien'),
      person('09KABUL1', 'Hamid Karzai', { countryCode: 'AF' }),
      person('09KABUL2', 'Ahmed Wali Karzai', { countryCode: 'AF' }),
      person('09KABUL4', 'Karzai', { countryCode: 'AF' }),
      person('08LONDON1', 'John Smith', { countryCode: 'GB' }),
      person('08LONDON2', 'J. Smith'),
    ];
    const expected = JSON.stringify(clusterPersons(records));
    for (let seed = 1; seed <= 20; seed++) {
      const shuffled = [...records].sort((a, b) => ((a.id * 7919 * seed) % 101) - ((b.id * 7919 * seed) % 101));
      expect(JSON.stringify(clusterPersons(shuffled))).toBe(expected);
    }
  });

  it('applies merge and split judgments after the automatic resolution', () => {
    const records = [
      person('09KABUL1', 'Hamid Karzai', { countryCode: 'AF', titles: ['President'] }),
      person('09KABUL2', 'Karzai', { countryCode: 'AF', titles: ['President'] }),
      person('09KABUL3', 'Ahmed Wali Karzai', { countryCode: 'AF' }),
      person('09KABUL4', 'AWK', { countryCode: 'AF' }),
    ];
    expect(groups(records)).toContain('09KABUL1|hamid karzai + 09KABUL2|karzai');
    const judged = groups(records, [
      { id: 1, kind: 'split', members: ['09KABUL2|karzai'] },
      { id: 2, kind: 'merge', members: ['09KABUL3|ahmed wali karzai', '09KABUL4|awk'] },
    ]);
    expect(judged).toEqual(['09KABUL1|hamid karzai', '09KABUL2|karzai', '09KABUL3|ahmed wali karzai + 09KABUL4|awk']);
  });

  it("gives a titled bare surname to the namesake who held the office at the cable's date", () => {
    const records = [
      person('06STATE1', 'Nicholas Burns', { titles: ['Under Secretary for Political Affairs'], date: '2006-03-01' }),
      person('07STATE1', 'R. Nicholas Burns', { titles: ['U/S'], date: '2007-02-01' }),
      person('06MOSCOW1', 'William J. Burns', { titles: ['Ambassador'], date: '2006-05-01' }),
      person('08STATE1', 'William J. Burns', { titles: ['Under Secretary'], date: '2008-07-01' }),
      person('09STATE1', 'William Burns', { titles: ['U/S'], date: '2009-10-01' }),
      person('07PARIS1', 'Burns', { titles: ['U/S'], date: '2007-06-01' }),
      person('09PARIS1', 'Burns', { titles: ['Under Secretary'], date: '2009-05-01' }),
    ];
    const groups_ = groups(records);
    expect(groups_.find((g) => g.includes('07PARIS1'))).toContain('nicholas burns');
    expect(groups_.find((g) => g.includes('09PARIS1'))).toContain('william');
  });

  it('takes "former President" for whoever held the office, not for a namesake of another title', () => {
    const records = [
      person('06CARACAS1', 'Mohammad Khatami', { titles: ['President'], date: '2006-04-01' }),
      person('08CAIRO1', 'Mohammad Khatami', { titles: ['Iranian President'], date: '2008-05-01' }),
      person('09DUBAI1', 'Ahmad Khatami', { titles: ['Ayatollah'], date: '2009-09-01' }),
      person('09BEIJING1', 'Khatami', { titles: ['former President'], date: '2009-03-01' }),
    ];
    expect(groups(records).find((g) => g.includes('09BEIJING1'))).toContain('mohammad khatami');
  });

  it('counts the titled bare surnames an individual is given towards how prominent they are', () => {
    const records = [
      person('09KABUL1', 'Hamid Karzai', { titles: ['President'] }),
      person('09KABUL2', 'Hamid Karzai'),
      person('09KABUL3', 'Ahmed Wali Karzai'),
      person('09KABUL4', 'Ahmed Wali Karzai'),
      ...['5', '6', '7', '8'].map((n) => person(`09KABUL${n}`, 'Karzai', { titles: ['President'] })),
      person('09PARIS1', 'Karzai'),
    ];
    // Without the titled ones, two full names each: the bare surname would stay unresolved.
    expect(groups(records.filter((r) => !r.titles.length || r.name !== 'Karzai')).find((g) => g.includes('09PARIS1'))).toBe(
      '09PARIS1|karzai',
    );
    expect(groups(records).find((g) => g.includes('09PARIS1'))).toContain('hamid karzai');
  });

  it('gives a bare surname to the namesake the cables of the time call by the bare surname', () => {
    const records = [
      ...['1', '2', '3'].map((n) => person(`07MADRID${n}`, 'Fidel Castro', { aliases: ['Castro'], date: `2007-0${n}-01` })),
      ...['4', '5', '6', '7'].map((n) => person(`07MADRID${n}`, 'Raul Castro', { date: `2007-0${n}-01` })),
      person('07SANTIAGO1', 'Castro', { date: '2007-06-18' }),
    ];
    expect(groups(records).find((g) => g.includes('07SANTIAGO1'))).toContain('fidel castro');
  });

  it('does not let a title a namesake got in a single cable outweigh the office holder', () => {
    const records = [
      // In a cable about his brother, the President's title stuck to Abdul Qayum Karzai.
      person('08KABUL1', 'Abdul Qayum Karzai', { titles: ['President'], date: '2008-10-18' }),
      person('09KABUL1', 'Hamid Karzai', { titles: ['President'], date: '2009-07-01' }),
      person('09KABUL2', 'Hamid Karzai', { titles: ['President'], date: '2009-10-01' }),
      person('08ISLAMABAD1', 'Karzai', { titles: ['President'], date: '2008-09-01' }),
    ];
    expect(groups(records).find((g) => g.includes('08ISLAMABAD1'))).toContain('hamid karzai');
    const expected = JSON.stringify(clusterPersons(records));
    for (let seed = 1; seed <= 10; seed++) {
      const shuffled = [...records].sort((a, b) => ((a.id * 7919 * seed) % 101) - ((b.id * 7919 * seed) % 101));
      expect(JSON.stringify(clusterPersons(shuffled))).toBe(expected);
    }
  });

  it('reads the given name after an initial, and a Spanish married surname as a surname', () => {
    expect(nameParts('R. Nicholas Burns')).toMatchObject({ given: 'nicholas', initialOnly: false });
    expect(nameParts('S. Kelly')).toMatchObject({ given: 's', initialOnly: true });
    expect(nameParts('Fernandez de Kirchner')).toMatchObject({ surname: 'kirchner', given: '' });
    expect(nameParts('Jose de Castro')).toMatchObject({ given: 'jose' });
  });
});
