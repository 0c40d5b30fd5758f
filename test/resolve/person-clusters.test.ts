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
});
