import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import {
  cableHeadersByIds,
  cablesByRefs,
  paragraphsByCableIds,
  referencesByCableIds,
  referencingCables,
} from '../../src/db/read-cables.ts';
import { writeCables, type CableRecord } from '../../src/db/write-cables.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';

function record(ref: string, overrides: Partial<CableRecord> = {}): CableRecord {
  return {
    ref,
    date: '2003-03-12',
    classification: 'CONFIDENTIAL',
    caveats: [],
    origin: 'Embassy Ottawa',
    subject: `SUBJECT OF ${ref}`,
    tags: ['PREL', 'CA'],
    declassifyOn: '2013-03-12',
    classifiedBy: { name: 'Stephen R. Kelly', title: 'Deputy Chief of Mission' },
    signers: ['CELLUCCI'],
    recipients: [{ route: null, name: 'SECSTATE WASHDC', precedence: 'PRIORITY', mcn: '0872', excluded: [] }],
    infoRecipients: [],
    summary: null,
    header: null,
    body: 'SUBJECT: X\n\n1. (C) First.\n\n2. (U) Second.',
    source: 'test',
    sourceFormat: 'text',
    contentHash: `hash-${ref}`,
    extractorVersion: 1,
    paragraphs: [
      { position: 0, number: 0, marking: null, text: 'SUBJECT: X', start: 0, end: 10 },
      { position: 1, number: 1, marking: 'C', text: '1. (C) First.', start: 12, end: 25 },
      { position: 2, number: 2, marking: 'U', text: '2. (U) Second.', start: 27, end: 41 },
    ],
    references: [{ position: 0, kind: 'cable', bullet: 'A', value: '03OTTAWA589', toRef: '03OTTAWA589' }],
    graph: null,
    ...overrides,
  };
}

describe.each(databaseKinds)('writeCables on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('inserts new cables with their paragraphs and references', async () => {
    const result = await writeCables(handle.db, [record('03OTTAWA692'), record('03OTTAWA589', { references: [] })]);
    expect(result).toMatchObject({ inserted: ['03OTTAWA692', '03OTTAWA589'], updated: [], unchanged: [] });
    const [cable] = await cablesByRefs(handle.db, ['03OTTAWA692']);
    expect(cable).toMatchObject({ ref: '03OTTAWA692', date: '2003-03-12' });
    const [header] = await cableHeadersByIds(handle.db, [cable!.id]);
    expect(header).toMatchObject({ tags: ['PREL', 'CA'], declassify_on: '2013-03-12' });
    expect(header!.recipients[0]).toMatchObject({ name: 'SECSTATE WASHDC', mcn: '0872' });
    const paragraphs = await paragraphsByCableIds(handle.db, [cable!.id]);
    expect(paragraphs.map((p) => [p.number, p.marking])).toEqual([
      [0, null],
      [1, 'C'],
      [2, 'U'],
    ]);
    const referencing = await referencingCables(handle.db, ['03OTTAWA589']);
    expect(referencing.map((c) => c.ref)).toEqual(['03OTTAWA692']);
  });

  it('leaves unchanged cables alone and replaces changed ones whole, keeping their id', async () => {
    const [before] = await cablesByRefs(handle.db, ['03OTTAWA692']);
    const changed = record('03OTTAWA692', {
      contentHash: 'hash-changed',
      subject: 'NEW SUBJECT',
      paragraphs: [{ position: 0, number: 1, marking: 'S', text: 'Only one.', start: 0, end: 9 }],
      references: [],
    });
    const result = await writeCables(handle.db, [changed, record('03OTTAWA589', { references: [] })]);
    expect(result).toMatchObject({ inserted: [], updated: ['03OTTAWA692'], unchanged: ['03OTTAWA589'] });
    const [after] = await cablesByRefs(handle.db, ['03OTTAWA692']);
    expect(after!.id).toBe(before!.id);
    expect(after!.subject).toBe('NEW SUBJECT');
    expect((await paragraphsByCableIds(handle.db, [after!.id])).map((p) => p.text)).toEqual(['Only one.']);
    expect(await referencesByCableIds(handle.db, [after!.id])).toEqual([]);
  });

  it('writes nothing of a batch when one of its cables is refused', async () => {
    const bad = record('03OTTAWA999', {
      // Two paragraphs at the same position break the primary key.
      paragraphs: [
        { position: 0, number: 1, marking: null, text: 'a', start: 0, end: 1 },
        { position: 0, number: 2, marking: null, text: 'b', start: 2, end: 3 },
      ],
    });
    await expect(writeCables(handle.db, [record('03OTTAWA1000'), bad])).rejects.toThrow();
    expect(await cablesByRefs(handle.db, ['03OTTAWA1000', '03OTTAWA999'])).toEqual([]);
  });
});
