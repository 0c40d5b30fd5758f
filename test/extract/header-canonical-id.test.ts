import { describe, expect, it } from 'vitest';

import { canonicalId, twoDigitYear } from '../../src/extract/header/canonical-id.ts';
import { canonicalStation } from '../../src/extract/header/stations.ts';

describe('canonical ids', () => {
  it('drops leading zeros and normalizes station names', () => {
    expect(canonicalId('03OTTAWA000692')).toBe('03OTTAWA692');
    expect(canonicalId('06PORT-OF-SPAIN123')).toBe('06PORTOFSPAIN123');
    expect(canonicalId('05UNVIE1')).toBe('05UNVIEVIENNA1');
    expect(canonicalId('08USEU77')).toBe('08USEUBRUSSELS77');
    expect(canonicalId('07SECSTATE55')).toBe('07STATE55');
  });

  it('repairs misspelt and suffixed station names', () => {
    expect(canonicalId('09KATHAMNDU12')).toBe('09KATHMANDU12');
    expect(canonicalId('09ANKRA12')).toBe('09ANKARA12');
    expect(canonicalId('04BERNSZ3')).toBe('04BERN3');
    expect(canonicalId('08ECTION01OF02MANAMA492')).toBe('08MANAMA492');
    expect(canonicalId('05PAULO7')).toBe('05SAOPAULO7');
    expect(canonicalId('09GUATEMALACITY12')).toBe('09GUATEMALA12');
    expect(canonicalId('06STAE12')).toBe('06STATE12');
  });

  it('leaves what is not an id alone', () => {
    expect(canonicalId('not an id')).toBe('NOT AN ID');
    expect(canonicalStation('NOVEMBER')).toBeNull();
    expect(canonicalStation('FROM')).toBeNull();
  });

  it('reads years in every written form', () => {
    expect(twoDigitYear('06')).toBe('06');
    expect(twoDigitYear('2006')).toBe('06');
    expect(twoDigitYear('094')).toBe('94');
    expect(twoDigitYear('O4')).toBe('04');
    expect(twoDigitYear('12345')).toBeNull();
  });
});
