import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildCableRecord } from '../../src/ingest/cable-record.ts';
import { SEED_DIR } from '../../src/main.ts';

describe('buildCableRecord', () => {
  const record = buildCableRecord({
    text: readFileSync(join(SEED_DIR, '03OTTAWA692.txt'), 'utf8'),
    hints: {},
    source: 'seed',
    format: 'text',
  });

  it('keeps every person the extraction finds, and the signer as one more', () => {
    const names = record.graph!.persons.map((p) => p.name);
    expect(names).toHaveLength(13);
    expect(names).toContain('Jean Chretien');
    const signer = record.graph!.persons.find((p) => p.name === 'CELLUCCI')!;
    expect(signer.countryCode).toBe('US');
    const mention = record.graph!.mentions.find((m) => m.kind === 'person' && m.local === signer.localIndex)!;
    expect(record.body.slice(mention.start, mention.end)).toBe('CELLUCCI');
    expect(mention.paragraph).toBe(record.paragraphs.length - 1);
  });

  it('places every mention in the paragraph that holds it', () => {
    for (const mention of record.graph!.mentions) {
      const paragraph = record.paragraphs[mention.paragraph]!;
      expect(mention.start).toBeGreaterThanOrEqual(paragraph.start);
      expect(mention.end).toBeLessThanOrEqual(paragraph.end);
      expect(record.body.slice(mention.start, mention.end)).toBe(mention.surface);
    }
  });

  it('hashes content, not provenance', () => {
    const again = buildCableRecord({ text: record.body, hints: {}, source: 'elsewhere.tar.gz:member', format: 'html' });
    expect(again.contentHash).toBe(record.contentHash);
  });
});
