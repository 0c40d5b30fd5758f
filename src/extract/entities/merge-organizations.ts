// merge-organizations: one organization per body named in the cable, its acronym and shorter
// forms as aliases ("Pakistan Army" … "the Army").
import type { Mention, Organization, OrganizationKind } from '../types.ts';
import type { OrganizationHit } from './find-organizations.ts';
import { countryName } from './gazetteer.ts';

interface Draft {
  name: string;
  aliases: Set<string>;
  kind: OrganizationKind;
  countryCode: string | null;
  mentions: Mention[];
  keys: Set<string>;
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

export function mergeOrganizations(hits: OrganizationHit[]): { organizations: Organization[]; mentions: Mention[] } {
  const drafts: Draft[] = [];
  const byKey = new Map<string, Draft>();
  const ordered = [...hits].sort((a, b) => Number(a.bare) - Number(b.bare) || a.start - b.start);
  for (const hit of ordered) {
    const text = hit.text.replace(/\s+/g, ' ');
    const keys = [normalize(text)];
    if (hit.known) keys.push(normalize(hit.known.name));
    if (hit.acronym) keys.push(normalize(hit.acronym));
    let draft: Draft | undefined;
    for (const k of keys) draft ??= byKey.get(k);
    if (!draft && hit.bare) {
      // "the Committee" stands for the last-named organization with that head word.
      const head = normalize(text);
      draft = [...drafts].reverse().find((d) => [...d.keys].some((k) => k.split(' ').includes(head)));
      if (!draft && !['cabinet', 'senate', 'parliament', 'judiciary', 'congress', 'army', 'navy'].includes(head)) continue;
    }
    if (!draft && hit.countryCode) {
      // "Canadian Cabinet" and a later "Cabinet" of the same country are one body.
      const written = normalize(text);
      draft = drafts.find((d) => d.countryCode === hit.countryCode && normalize(d.name).endsWith(' ' + written));
    }
    const mention: Mention = {
      kind: 'organization',
      entity: '',
      paragraph: hit.paragraph,
      start: hit.start,
      end: hit.end,
      text: hit.text,
      title: null,
    };
    if (!draft) {
      draft = {
        name:
          hit.known?.name &&
          hit.known.name.length <= text.length + 2 &&
          !hit.bare &&
          normalize(text) !== normalize(hit.known.name) &&
          isPrefixed(text, hit.known.name)
            ? text
            : (hit.known?.name ?? text),
        aliases: new Set(),
        kind: hit.kind,
        countryCode: hit.countryCode,
        mentions: [],
        keys: new Set(),
      };
      drafts.push(draft);
    }
    // "GID" in the SUBJECT line before "General Intelligence Directorate (GID)": the full name is the name.
    if (hit.acronym && draft.name === hit.acronym && text !== hit.acronym) {
      draft.aliases.add(draft.name);
      draft.name = text;
    }
    if (text !== draft.name) draft.aliases.add(text);
    if (hit.acronym && hit.acronym !== draft.name) draft.aliases.add(hit.acronym);
    if (!draft.countryCode && hit.countryCode) draft.countryCode = hit.countryCode;
    for (const k of keys) {
      draft.keys.add(k);
      if (!byKey.has(k)) byKey.set(k, draft);
    }
    draft.keys.add(normalize(draft.name));
    draft.mentions.push(mention);
  }
  const organizations: Organization[] = [];
  const mentions: Mention[] = [];
  for (const draft of drafts) {
    draft.mentions.sort((a, b) => a.start - b.start);
    for (const m of draft.mentions) m.entity = draft.name;
    mentions.push(...draft.mentions);
    draft.aliases.delete(draft.name);
    organizations.push({
      name: draft.name,
      aliases: [...draft.aliases],
      kind: draft.kind,
      country: countryName(draft.countryCode),
      countryCode: draft.countryCode,
      paragraphs: [...new Set(draft.mentions.map((m) => m.paragraph))].sort((a, b) => a - b),
    });
  }
  return { organizations, mentions };
}

/** "Pakistan Army" for the gazetteer's "Army": the written name carries its country. */
function isPrefixed(text: string, known: string): boolean {
  return normalize(text).endsWith(normalize(known)) && normalize(text) !== normalize(known);
}
