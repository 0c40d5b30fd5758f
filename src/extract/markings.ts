// markings: what a classification or a portion marking allows, as a rank on the clearance ladder
// and whether it carries NOFORN ("not releasable to foreign nationals").
//
// Cables write the same level many ways: "CONFIDENTIAL", "C", "(C)"; "SECRET//NOFORN", "S/NF";
// "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "SBU", "LOU". A marking this module does not recognise is
// treated as the most restrictive there is, so an odd marking can hide a portion but never reveal one.

/** The clearance ladder, lowest first. SBU stands for every "sensitive but unclassified" form. */
export const CLEARANCES = ['UNCLASSIFIED', 'SBU', 'CONFIDENTIAL', 'SECRET', 'TOP_SECRET'] as const;
export type Clearance = (typeof CLEARANCES)[number];

/** What a reader may see: portions up to `clearance`, and NOFORN portions only when `noforn`. */
export interface Access {
  /** Index in CLEARANCES. */
  rank: number;
  noforn: boolean;
}

/** The most restrictive access: what an unknown marking is taken to require. */
export const MOST_RESTRICTIVE: Access = { rank: CLEARANCES.length - 1, noforn: true };

const LEVELS: ReadonlyArray<[RegExp, number]> = [
  [/^(?:TS|TOP ?SECRET)\b/, 4],
  [/^(?:S|SECRET)\b/, 3],
  [/^(?:C|CONFIDENTIAL)\b/, 2],
  [/^(?:SBU|LOU|FOUO|LIMITED OFFICIAL USE|(?:U|UNCLASSIFIED)\s*\/+\s*(?:SBU|FOUO|LOU|FOR OFFICIAL USE ONLY|SENSITIVE))\b/, 1],
  [/^(?:U|UNCLASSIFIED|UNCLAS)\b/, 0],
];

const NOFORN = /(?:^|[/\s,])(?:NF|NOFORN|NOT RELEASABLE TO FOREIGN NATIONALS)\b/;

/**
 * The access a classification or marking requires, or null when it names no level we know
 * ("SBU/NF" → SBU with NOFORN; "S" → SECRET; "CONFIDENTIAL//NOFORN" → CONFIDENTIAL with NOFORN).
 */
export function accessOf(marking: string | null | undefined, caveats: readonly string[] = []): Access | null {
  if (!marking) return null;
  const text = marking.toUpperCase().replace(/\s+/g, ' ').trim();
  const level = LEVELS.find(([pattern]) => pattern.test(text));
  if (!level) return null;
  const noforn = NOFORN.test(text) || caveats.some((caveat) => NOFORN.test(caveat.toUpperCase()));
  return { rank: level[1], noforn };
}

/** The stricter of two accesses in each dimension (a cable is as restricted as its most restricted portion). */
export function stricter(a: Access, b: Access): Access {
  return { rank: Math.max(a.rank, b.rank), noforn: a.noforn || b.noforn };
}

/** Whether a reader with `reader` access may see a portion that requires `required`. */
export function allows(reader: Access, required: Access): boolean {
  return required.rank <= reader.rank && (!required.noforn || reader.noforn);
}

/** A reader's access from a clearance name ("CONFIDENTIAL", "confidential", "top secret"), or null. */
export function clearanceAccess(clearance: string, noforn: boolean): Access | null {
  const name = clearance.toUpperCase().replace(/[\s-]+/g, '_');
  const rank = (CLEARANCES as readonly string[]).indexOf(name);
  return rank < 0 ? null : { rank, noforn };
}

/**
 * What a stored key's clearance lets it see: a clearance this version does not know sees as
 * little as there is to see.
 */
export function keyAccess(clearance: string, noforn: boolean): Access {
  return clearanceAccess(clearance, noforn) ?? { rank: 0, noforn: false };
}

/**
 * What a reader needs to see each portion of a cable: a marked portion (subject or paragraph)
 * needs what its own marking says, an unmarked one what the cable's classification and caveats
 * say. The whole cable needs the strictest of all, so a paragraph marked above the cable's
 * classification still keeps the whole cable from a reader who may not see that paragraph.
 */
export function portionAccess(
  classification: string | null,
  caveats: readonly string[],
  subjectMarking: string | null,
  paragraphs: ReadonlyArray<{ marking: string | null }>,
): { cable: Access; subject: Access; paragraphs: Access[] } {
  const cableLevel = accessOf(classification, caveats) ?? MOST_RESTRICTIVE;
  const own = (marking: string | null) => (marking ? (accessOf(marking) ?? MOST_RESTRICTIVE) : cableLevel);
  const subject = own(subjectMarking);
  const paragraphAccess = paragraphs.map((p) => own(p.marking));
  const cable = paragraphAccess.reduce(stricter, stricter(cableLevel, subject));
  return { cable, subject, paragraphs: paragraphAccess };
}
