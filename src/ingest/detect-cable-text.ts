// Whether a plain text is a cable at all. A cable (even a partial extract) carries at least one of
// the telegram's fixed lines; a README, a log or source code carries none of them. Case is ignored:
// some released cables were lower-cased by the publisher ("S e c r e t state 015220", "Tags:").
const spaced = (word: string) => word.split('').join(' ?');
const CLASSIFICATION = ['UNCLASSIFIED', 'UNCLAS', 'LIMITED OFFICIAL USE', 'CONFIDENTIAL', 'SECRET'].map(spaced).join('|');

const CABLE_MARKERS: RegExp[] = [
  // The classification banner with station and serial: "CONFIDENTIAL OTTAWA 000692",
  // "C O N F I D E N T I A L SECTION 01 OF 02 TEHRAN 08980".
  new RegExp(`^\\s*(?:${CLASSIFICATION})(?:\\s+SECTION\\s+\\d+\\s+OF\\s+\\d+)?\\s+[A-Z][A-Z .-]{1,40}\\s+\\d{1,6}\\s*$`, 'im'),
  /^\s*TAGS?\s*:/im,
  /^\s*SUBJ(?:ECT)?\s*:/im,
  // The declassification line: "E.O. 12958: DECL: 03/12/2013", "EO 12356".
  /^\s*E\.?\s?O\.?\s*1\d{4}\b/im,
  /^\s*(?:FM|FROM)\s+(?:AMEMBASSY|AMCONSUL|SECSTATE|USMISSION|USDEL|AMEMB)\b/im,
];

/** How much of a text is examined: the markers sit in the first lines of a cable. */
const HEAD_CHARS = 16_384;

export function looksLikeCableText(text: string): boolean {
  const head = text.slice(0, HEAD_CHARS);
  return CABLE_MARKERS.some((marker) => marker.test(head));
}
