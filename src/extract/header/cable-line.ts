// cable-line: what the first lines of a cable body say about it:
//   C O N F I D E N T I A L SECTION 01 OF 02 OTTAWA 001284    -> level, station, serial
//   NOFORN / SIPDIS                                           -> caveats
import { canonicalStation } from './stations.ts';
import { headerBlock, upperAscii } from './text.ts';

// The classification as typed, often letter-spaced and sometimes mangled at its start by the
// transmission ("SS E C R E T", "CC O N F I D E N T I A L", "E C R E T", "UUNCLAS").
function spaced(word: string): string {
  return word.split('').join(' ?');
}
const LEVELS: [string, string][] = [
  ['TOPSECRET', 'TOP SECRET'],
  ['SECRET', 'SECRET'],
  ['ECRET', 'SECRET'],
  ['CONFIDENTIAL', 'CONFIDENTIAL'],
  ['ONFIDENTIAL', 'CONFIDENTIAL'],
  ['LIMITEDOFFICIALUSE', 'LIMITED OFFICIAL USE'],
  ['UNCLASSIFIED', 'UNCLASSIFIED'],
  ['UNCLAS', 'UNCLASSIFIED'],
  ['NCLAS', 'UNCLASSIFIED'],
];
const LEVEL = new RegExp(`^[ \\t]*[A-Z]?[ \\t]?(${LEVELS.map(([written]) => spaced(written)).join('|')})(?![A-Z])`, 'i');
const CAVEAT_WORDS = '(?:SENSITIVE|E ?F ?T ?O|NOFORN|SIPDIS|NODIS|EXDIS|LIMDIS)';
const REST_OF_LINE = new RegExp(
  `^((?:[ \\t]+${CAVEAT_WORDS})*)[ \\t]+(?:SECT?ION[ \\t]+\\d+[ \\t]+OF[ \\t]+\\d+[ \\t]+)?` +
    `([A-Z][A-Z .'-]*?)[ \\t]+0*(\\d{1,7})(?:[ \\t]*$|[ \\t]+(?=${CAVEAT_WORDS}|STATE FOR|DEPT FOR|E\\.?O\\.?))`,
  'i',
);
const CAVEATS = /(?<![A-Z/(])(NOFORN|NODIS|EXDIS|LIMDIS|ORCON|PROPIN|SIPDIS|STADIS|NOCONTRACT|FOR OFFICIAL USE ONLY)(?![A-Z)])/g;

export interface CableLine {
  station: string | null;
  serial: string | null;
  level: string | null;
  caveats: string[];
  sensitive: boolean;
}

export function parseCableLine(body: string): CableLine {
  const head = body.slice(0, 3000);
  let level: string | null = null;
  let station: string | null = null;
  let serial: string | null = null;
  let sensitive = false;
  for (const text of head.split('\n', 40)) {
    const written = LEVEL.exec(text);
    if (!written) continue;
    const rest = REST_OF_LINE.exec(text.slice(written[0].length));
    if (!rest) continue;
    const compact = written[1]!.toUpperCase().replace(/\s+/g, '');
    level = LEVELS.find(([name]) => name === compact)?.[1] ?? null;
    station = canonicalStation(rest[2]!);
    serial = station ? rest[3]! : null;
    sensitive = /SENSITIVE/i.test(rest[1] ?? '');
    break;
  }
  const caveats: string[] = [];
  for (const [, caveat] of upperAscii(headerBlock(head)).matchAll(CAVEATS)) if (!caveats.includes(caveat!)) caveats.push(caveat!);
  // UNCLAS cables marked SENSITIVE on a line of their own are what cablegate calls
  // "UNCLASSIFIED//FOR OFFICIAL USE ONLY".
  if (/SENSITIVE BUT UNCLASSIFIED|^[ \t]*SENSITIVE[ \t]*$/im.test(headerBlock(head))) sensitive = true;
  return { station, serial, level, caveats, sensitive };
}

/** The classification as cablegate writes it: "SECRET//NOFORN", "UNCLASSIFIED//FOR OFFICIAL USE ONLY". */
export function classificationOf(line: CableLine): string | null {
  if (!line.level) return null;
  if (line.caveats.includes('NOFORN')) return `${line.level}//NOFORN`;
  if (line.level === 'UNCLASSIFIED' && (line.sensitive || line.caveats.includes('FOR OFFICIAL USE ONLY'))) {
    return 'UNCLASSIFIED//FOR OFFICIAL USE ONLY';
  }
  return line.level;
}
