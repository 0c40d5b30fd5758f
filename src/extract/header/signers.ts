// signers: the name at the very end of a cable ("CELLUCCI", "Aguirre"), found after dropping
// what the transmission appended (NNNN, classification lines, page headers, web-site notes).
import signerData from '../data/header-signers.json' with { type: 'json' };

const TRAILING = new RegExp(signerData.trailingLines.join('|'));
const NOT_NAMES: ReadonlySet<string> = new Set(signerData.notNames);
const SUFFIX = '(?:,? (?:JR|Jr|jr|SR|Sr|III|II)\\.?)?';
const NAME_LINE = new RegExp(`^[A-Z][A-Za-z'’-]+(?:[ /][A-Z][A-Za-z'’-]+){0,2}${SUFFIX}$`);
const LOWER_NAME_LINE = /^[a-z][a-z'’-]{2,}$/;
// A signature run into the last line of text: "... due to veto. CELLUCCI", "... Burma. Martinez",
// also after a web-site address: "... /index.cfm STAPLETON".
const RUN_ON =
  /(?:[.!?)"”*-]|\.[a-z]{0,4}|https?:\S+)\s+\.?([A-Z][A-Z'’-]{2,}(?: [A-Z][A-Z'’-]+){0,2}|[A-Z][a-z]{0,2}[A-Z]?[a-z]+(?:[-'’][A-Z]?[a-z]+)?)$/;
// After a web-site address broken by spaces: "... /Portal:Unit ed_Kingdom LEBARON".
const AFTER_ADDRESS = /https?:\/\/.*\s([A-Z][A-Za-z'’-]{2,})$/;
// In upper-case text a name runs on only after an END marker: "END TALKING POINTS. RICE".
const AFTER_END_MARKER = /\bEND [A-Z ]{2,30}[.:]\s+([A-Z][A-Z'’-]{2,})$/;
// What precedes the name on its line: "END COMMENT THORNE", "CLINTON UNQUOTE CLINTON".
const SIGN_OFF =
  /^(?:.*\b(?:UNQUOTE|UNQTE)|MINIMIZE CONSIDERED|BEST REGARDS|REGARDS|END (?:OF )?(?:COMMENT|TEXT|SUMMARY|FYI|QUOTE|MESSAGE))[.,]?\s+(?=\S)/i;
const REDACTED = /^X{4,}\s+/;
// Dates appended to the signature by one release of the cables: "SOBEL 2008-01-08".
const APPENDED_DATE = /\s+\d{4}-\d\d-\d\d$/;

export function parseSigners(body: string): string[] {
  const lines = body.slice(-3000).split('\n');
  for (let i = lines.length - 1, looked = 0; i >= 0 && looked < 40; i--, looked++) {
    const line = lines[i]!.trim()
      .replace(/#+\s*$/, '')
      .replace(APPENDED_DATE, '')
      .replace(SIGN_OFF, '')
      .replace(REDACTED, '')
      .replace(/\s+\.+$/, '')
      .trim();
    if (line === '') continue;
    const upper = line.toUpperCase().replace(/[.:;,]+$/, '');
    const afterAddress = AFTER_ADDRESS.exec(line);
    if (afterAddress && !NOT_NAMES.has(afterAddress[1]!.toUpperCase())) return [afterAddress[1]!];
    if (TRAILING.test(upper)) continue;
    if (isName(line)) return [withoutRepeat(line)];
    if (LOWER_NAME_LINE.test(line) && !NOT_NAMES.has(upper)) return [line];
    const marked = AFTER_END_MARKER.exec(line);
    if (marked && !NOT_NAMES.has(marked[1]!.toUpperCase())) return [marked[1]!];
    const runOn = RUN_ON.exec(line);
    if (runOn && !NOT_NAMES.has(runOn[1]!.toUpperCase()) && /[a-z]{3}|https?:/.test(line.slice(0, runOn.index + 1))) {
      return [runOn[1]!.replace(SIGN_OFF, '').replace(REDACTED, '')];
    }
    return [];
  }
  return [];
}

/** "SHANNON SHANNON": the signature typed twice. */
function withoutRepeat(name: string): string {
  const words = name.split(' ');
  return words.length === 2 && words[0]!.toUpperCase() === words[1]!.toUpperCase() ? words[0]! : name;
}

function isName(line: string): boolean {
  if (!NAME_LINE.test(line) || NOT_NAMES.has(line.toUpperCase())) return false;
  const words = line.split(/[ /]/);
  // A mixed-case line of several words is text ("End Comment"), a surname is one or two words.
  return words.length <= 2 || line === line.toUpperCase();
}
