// A raw cable from a reader -> the record the database stores (structure only; no I/O here).
import { createHash } from 'node:crypto';

import { extractStructure, normalizeRequest } from '../extract/index.ts';
import type { CableRecord } from '../db/write-cables.ts';
import type { RawCable } from './types.ts';

/** Bumped whenever extraction changes what is stored, so that a re-ingest rewrites old rows. */
export const EXTRACTOR_VERSION = 1;

export class CableRejected extends Error {}

export function buildCableRecord(raw: RawCable): CableRecord {
  if (raw.text.includes('\u0000')) throw new CableRejected('text contains NUL bytes (binary data?)');
  const { body, hints } = normalizeRequest({ text: raw.text, ...raw.hints });
  if (!body.trim()) throw new CableRejected('empty cable text');
  const structure = extractStructure(body, hints);
  if (!structure.id) throw new CableRejected('no reference id: neither the source nor the text gives one');
  const content = {
    ref: structure.id,
    date: structure.date,
    classification: structure.classification,
    caveats: structure.caveats,
    origin: structure.origin,
    subject: structure.subject,
    tags: structure.tags,
    declassifyOn: structure.declassifyOn,
    classifiedBy: structure.classifiedBy,
    signers: structure.signers,
    recipients: structure.recipients,
    infoRecipients: structure.infoRecipients,
    summary: structure.summary,
    header: hints.header?.trim() || null,
    body,
    extractorVersion: EXTRACTOR_VERSION,
    paragraphs: structure.paragraphs.map((p, position) => ({
      position,
      number: p.number,
      marking: p.marking,
      text: p.text,
      start: p.start,
      end: p.end,
    })),
    references: referenceRecords(structure, hints.references ?? []),
  };
  const contentHash = createHash('sha256').update(JSON.stringify(content)).digest('base64url');
  return { ...content, source: raw.source, sourceFormat: raw.format, contentHash };
}

/** REF items in order; reference ids the source gives besides the text are appended once. */
function referenceRecords(structure: ReturnType<typeof extractStructure>, sourceRefs: string[]) {
  const records = structure.referenceItems.map((item, position) => ({
    position,
    kind: item.kind,
    bullet: item.bullet,
    value: item.value,
    toRef: item.kind === 'cable' ? item.value : null,
  }));
  const known = new Set(structure.references);
  for (const ref of structure.references) {
    if (!records.some((r) => r.toRef === ref)) records.push({ position: records.length, kind: 'cable', bullet: null, value: ref, toRef: ref });
  }
  for (const ref of sourceRefs) {
    if (known.has(ref) || ref === structure.id) continue;
    known.add(ref);
    records.push({ position: records.length, kind: 'cable', bullet: null, value: ref, toRef: ref });
  }
  return records;
}
