// Dates of the synthetic corpus as whole minutes since 1966-01-01 UTC, and the ways cables write them.

export const EPOCH = Date.UTC(1966, 0, 1);
export const MINUTES_PER_DAY = 24 * 60;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function minuteOf(year: number, month = 0, day = 1): number {
  return (Date.UTC(year, month, day) - EPOCH) / 60000;
}

export function dateOf(minute: number): Date {
  return new Date(EPOCH + minute * 60000);
}

export function yearOf(minute: number): number {
  return dateOf(minute).getUTCFullYear();
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** cables.csv's date column: `07/11/2008 12:12`. */
export function csvDate(minute: number): string {
  const d = dateOf(minute);
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** Date-time group of the routing header: `111227Z JUL 08`. */
export function dateTimeGroup(minute: number): string {
  const d = dateOf(minute);
  return `${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}Z ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCFullYear() % 100)}`;
}

/** Julian day and time of the `DE RUEHMO #1991/01 1931227` line. */
export function julianStamp(minute: number): string {
  const d = dateOf(minute);
  const dayOfYear =
    Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
  return `${String(dayOfYear).padStart(3, '0')}${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
}

/** `MM/DD/YYYY`, as the DECL line writes it. */
export function slashDate(minute: number): string {
  const d = dateOf(minute);
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** `March 3`, as the text writes a day. */
export function dayPhrase(minute: number): string {
  const d = dateOf(minute);
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}`;
}
