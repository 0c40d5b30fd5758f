// Country names and codes for the graph: ISO 3166 alpha-2 codes, English short names, and the
// FIPS codes that TAGS lines use ("UK" is the United Kingdom, "IZ" Iraq).
import countryRows from '../../extract/data/countries.json' with { type: 'json' };

interface CountryRow {
  name: string;
  code: string;
  fips?: string[];
  aliases?: string[];
}

const rows = countryRows as CountryRow[];
const byCode = new Map(rows.map((row) => [row.code, row.name]));
const byName = new Map<string, string>();
const byFips = new Map<string, string>();
for (const row of rows) {
  byName.set(row.name.toLowerCase(), row.code);
  for (const alias of row.aliases ?? []) if (!byName.has(alias.toLowerCase())) byName.set(alias.toLowerCase(), row.code);
  for (const fips of row.fips ?? []) byFips.set(fips, row.code);
}

export function countryName(code: string): string | null {
  return byCode.get(code) ?? null;
}

export function countryCodeOfName(name: string): string | null {
  return byName.get(name.toLowerCase()) ?? null;
}

export function countryCodeOfFips(fips: string): string | null {
  return byFips.get(fips.toUpperCase()) ?? null;
}
