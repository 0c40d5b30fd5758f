// A raw cable from a reader -> the record the database stores (structure only; no I/O here).
import { createHash } from 'node:crypto';

import { countryCodeOfName, countryName } from '../db/graph/countries.ts';
import { topicOfTag } from '../db/graph/topics.ts';
import { nameParts } from '../db/resolve/name-keys.ts';
import type { CableRecord } from '../db/write-cables.ts';
import type { CableGraphRecord, MentionRecord } from '../db/write-graph.ts';
import { cableStandaloneNames } from '../extract/entities/standalone-names.ts';
import { parseSubjectMarking } from '../extract/header/subject.ts';
import { extractFromBody, normalizeRequest } from '../extract/index.ts';
import type { Extraction, Paragraph } from '../extract/types.ts';
import type { RawCable } from './types.ts';

/** Bumped whenever extraction changes what is stored, so that a re-ingest rewrites old rows. */
export const EXTRACTOR_VERSION = 4;

export class CableRejected extends Error {}

export function buildCableRecord(raw: RawCable): CableRecord {
  if (raw.text.includes('\u0000')) throw new CableRejected('text contains NUL bytes (binary data?)');
  const { body, hints } = normalizeRequest({ text: raw.text, ...raw.hints });
  if (!body.trim()) throw new CableRejected('empty cable text');
  const structure = extractFromBody(body, hints);
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
    graph: graphRecord(structure, body),
  };
  const contentHash = createHash('sha256').update(JSON.stringify(content)).digest('base64url');
  // The subject's marking counts for access only, which is derived from markings the hash covers;
  // the standalone names are a function of the paragraphs and mentions it covers.
  return {
    ...content,
    subjectMarking: parseSubjectMarking(body),
    standaloneNames: cableStandaloneNames(content.paragraphs, content.graph.mentions),
    source: raw.source,
    sourceFormat: raw.format,
    contentHash,
  };
}

/** REF items in order; reference ids the source gives besides the text are appended once. */
function referenceRecords(structure: Extraction, sourceRefs: string[]) {
  const records = structure.referenceItems.map((item, position) => ({
    position,
    kind: item.kind,
    bullet: item.bullet,
    value: item.value,
    toRef: item.kind === 'cable' ? item.value : null,
  }));
  const known = new Set(structure.references);
  for (const ref of structure.references) {
    if (!records.some((r) => r.toRef === ref))
      records.push({ position: records.length, kind: 'cable', bullet: null, value: ref, toRef: ref });
  }
  for (const ref of sourceRefs) {
    if (known.has(ref) || ref === structure.id) continue;
    known.add(ref);
    records.push({ position: records.length, kind: 'cable', bullet: null, value: ref, toRef: ref });
  }
  return records;
}

/** Position of the paragraph that holds a character offset of the body. */
function paragraphAt(paragraphs: Paragraph[], offset: number): number {
  let low = 0;
  let high = paragraphs.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (paragraphs[middle]!.start <= offset) low = middle;
    else high = middle - 1;
  }
  return Math.max(low, 0);
}

/** The entities of an extraction as the graph stores them: local indexes, country codes, positions. */
export function graphRecord(extraction: Extraction, body: string): CableGraphRecord {
  const countryNames: Record<string, string> = {};
  const codeOf = (name: string | null, code: string | null = null): string | null => {
    const resolved = code ?? (name ? countryCodeOfName(name) : null);
    if (resolved) countryNames[resolved] ??= countryName(resolved) ?? name ?? resolved;
    return resolved;
  };
  const personIndex = new Map<string, number>();
  const persons = extraction.persons.map((p, localIndex) => {
    personIndex.set(p.name, localIndex);
    return {
      localIndex,
      name: p.name,
      aliases: p.aliases,
      titles: p.titles,
      organizations: p.organizations ?? [],
      countryCode: codeOf(p.country, p.countryCode),
    };
  });
  const organizationIndex = new Map<string, number>();
  const organizations = extraction.organizations.map((o, localIndex) => {
    organizationIndex.set(o.name, localIndex);
    return { localIndex, name: o.name, aliases: o.aliases, kind: o.kind, countryCode: codeOf(o.country, o.countryCode) };
  });
  const mentions: MentionRecord[] = [];
  for (const m of extraction.mentions) {
    if (m.kind === 'date') continue;
    const base = {
      paragraph: paragraphAt(extraction.paragraphs, m.start),
      start: m.start,
      end: m.end,
      surface: m.text,
      title: m.title ?? null,
    };
    if (m.kind === 'country') {
      const countryCode = codeOf(m.entity);
      if (countryCode) mentions.push({ kind: 'country', local: null, countryCode, ...base });
    } else {
      const local = (m.kind === 'person' ? personIndex : organizationIndex).get(m.entity);
      if (local !== undefined) mentions.push({ kind: m.kind, local, countryCode: null, ...base });
    }
  }
  // Signers are persons too. The extraction's persons follow the annotation convention that leaves
  // the signature out; the graph keeps it, as a US official (the signer of a US cable).
  const surnames = new Set(persons.flatMap((p) => [p.name, ...p.aliases].map((form) => nameParts(form).surname)));
  for (const signer of extraction.signers) {
    const surname = nameParts(signer).surname;
    if (!surname || surnames.has(surname)) continue;
    surnames.add(surname);
    const localIndex = persons.length;
    persons.push({ localIndex, name: signer, aliases: [], titles: [], organizations: [], countryCode: codeOf(null, 'US') });
    const start = body.lastIndexOf(signer);
    if (start >= 0) {
      const paragraph = paragraphAt(extraction.paragraphs, start);
      mentions.push({
        kind: 'person',
        local: localIndex,
        countryCode: null,
        paragraph,
        start,
        end: start + signer.length,
        surface: signer,
        title: null,
      });
    }
  }
  for (const name of extraction.countries) codeOf(name);
  const topics = extraction.tags.map((tag) => {
    const topic = topicOfTag(tag);
    if (topic.countryCode && topic.name) countryNames[topic.countryCode] ??= topic.name;
    return topic;
  });
  return {
    persons,
    organizations,
    mentions,
    dates: extraction.dates.map((d) => ({
      paragraph: paragraphAt(extraction.paragraphs, d.start),
      start: d.start,
      end: d.end,
      text: d.text,
      date: d.date,
    })),
    topics,
    countryNames,
  };
}
