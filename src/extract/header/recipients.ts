// recipients: the TO and INFO lines of the routing header, one addressee a line:
//   TO RUEHC/SECSTATE WASHDC IMMEDIATE 1803   -> route RUEHC, precedence IMMEDIATE, MCN 1803
//   INFO AMEMBASSY PANAMA                     -> no route, no precedence, no number
// "XMT" lines name posts left out of a collective addressee.
import type { Recipient } from '../types.ts';
import { stripPageBreaks } from './text.ts';

const FROM_LINE = /^\s*FM\s+\S/m;
const SECTION = /^\s*(TO|INFO|XMT)\b\s*(.*)$/;
const END = /^\s*(?:BT|NNNN|ZEN|E\.?O\.?\s|UNCLAS|CONFIDENTIAL|SECRET|LIMITED|C O N|S E C|SUBJECT|TAGS|SIPDIS)\b/;
const ROUTE = /^([A-Z]{4,7})\//;
const PRECEDENCES: ReadonlySet<string> = new Set(['FLASH', 'IMMEDIATE', 'PRIORITY', 'ROUTINE']);

export interface Recipients {
  recipients: Recipient[];
  infoRecipients: Recipient[];
}

export function parseRecipients(header: string | undefined, body: string): Recipients {
  const source = header && /^\s*(?:TO|INFO)\s/m.test(header) ? header : routingLines(body);
  const result: Recipients = { recipients: [], infoRecipients: [] };
  if (!source) return result;
  let list: Recipient[] | null = null;
  for (const rawLine of stripPageBreaks(source).split('\n')) {
    const line = rawLine.trim();
    const section = SECTION.exec(line);
    let content = line;
    if (section) {
      if (section[1] === 'XMT') {
        const last = list?.[list.length - 1];
        if (last && section[2]) last.excluded.push(section[2].trim());
        continue;
      }
      list = section[1] === 'TO' ? result.recipients : result.infoRecipients;
      content = section[2]!.trim();
    } else if (list === null) continue;
    if (content === '') continue;
    if (END.test(content)) break;
    const recipient = parseRecipient(content);
    if (recipient) list!.push(recipient);
  }
  return result;
}

/** The routing lines of a text that carries them itself (an FM line comes first). */
function routingLines(body: string): string | null {
  const from = FROM_LINE.exec(body.slice(0, 4000));
  if (!from) return null;
  const rest = body.slice(from.index);
  const blank = /\n\s*\n/.exec(rest);
  return blank ? rest.slice(0, blank.index) : rest;
}

function parseRecipient(text: string): Recipient | null {
  const words = text.trim().split(/\s+/);
  let route: string | null = null;
  const routed = ROUTE.exec(words[0] ?? '');
  if (routed) {
    route = routed[1]!;
    words[0] = words[0]!.slice(routed[0].length);
    if (words[0] === '') words.shift();
  }
  let mcn: string | null = null;
  if (words.length > 1 && /^\d{1,6}$/.test(words[words.length - 1]!)) mcn = words.pop()!;
  let precedence: string | null = null;
  const last = words[words.length - 1];
  if (words.length > 1 && last !== undefined && PRECEDENCES.has(last)) {
    precedence = words.pop()!;
    if (precedence === 'IMMEDIATE' && words[words.length - 1] === 'NIACT' && words.length > 1) precedence = `${words.pop()} ${precedence}`;
  }
  const name = words.join(' ');
  return name === '' ? null : { route, name, precedence, mcn, excluded: [] };
}
