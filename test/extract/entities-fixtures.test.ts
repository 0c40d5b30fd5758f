// Fixture-driven: test/fixtures/entities/<case>/{input.txt, hints.json, expected.json}.
// After a deliberate change, regenerate with UPDATE_FIXTURES=1 and review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { extract } from '../../src/extract/index.ts';
import type { Extraction } from '../../src/extract/types.ts';

const root = fileURLToPath(new URL('../fixtures/entities/', import.meta.url));
const update = Boolean(process.env.UPDATE_FIXTURES);

function project(result: Extraction) {
  return {
    persons: result.persons.map((p) => ({
      name: p.name,
      aliases: p.aliases,
      titles: p.titles,
      country: p.country,
      paragraphs: p.paragraphs,
    })),
    organizations: result.organizations.map((o) => ({ name: o.name, aliases: o.aliases, kind: o.kind, country: o.country })),
    countries: result.countries,
    dates: result.dates.map((d) => [d.text, d.date, d.paragraph]),
  };
}

describe('entity fixtures', () => {
  for (const name of readdirSync(root).sort()) {
    it(name, () => {
      const dir = join(root, name);
      const text = readFileSync(join(dir, 'input.txt'), 'utf8');
      const hints = existsSync(join(dir, 'hints.json')) ? JSON.parse(readFileSync(join(dir, 'hints.json'), 'utf8')) : {};
      const result = extract({ text, ...hints });
      for (const mention of result.mentions) expect(text.slice(mention.start, mention.end)).toBe(mention.text);
      const actual = project(result);
      const expectedPath = join(dir, 'expected.json');
      if (update || !existsSync(expectedPath)) writeFileSync(expectedPath, JSON.stringify(actual, null, 2) + '\n');
      expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
    });
  }
});
