// Whole-header fixtures: test/fixtures/header/<case>/{input.txt, hints.json?, expected.json}.
// After a deliberate change, regenerate with UPDATE_FIXTURES=1 and review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseHeader } from '../../src/extract/header/index.ts';
import { splitParagraphs } from '../../src/extract/paragraphs.ts';
import type { CableHints } from '../../src/extract/types.ts';

const root = join(import.meta.dirname, '../fixtures/header');
const update = process.env.UPDATE_FIXTURES === '1';

function run(caseDir: string) {
  const body = readFileSync(join(caseDir, 'input.txt'), 'utf8');
  const hintsFile = join(caseDir, 'hints.json');
  const hints: CableHints = existsSync(hintsFile) ? JSON.parse(readFileSync(hintsFile, 'utf8')) : {};
  const paragraphs = splitParagraphs(body).map(({ number, marking, start, end }) => ({ number, marking, start, end }));
  return { ...parseHeader(body, hints), paragraphs };
}

describe('header fixtures', () => {
  const cases = readdirSync(root).filter((name) => existsSync(join(root, name, 'input.txt')));

  it('has fixtures to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  for (const name of cases) {
    it(name, () => {
      const caseDir = join(root, name);
      const actual = run(caseDir);
      const expectedFile = join(caseDir, 'expected.json');
      if (update || !existsSync(expectedFile)) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
    });
  }
});
