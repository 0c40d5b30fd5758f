/**
 * Rows for a loadable node, in key order: a node that does not exist, or that the caller may not
 * see, is null (as Relay's `node` and `nodes` fields answer for an unknown id), not an error that
 * would tell the two apart from a failure. Pothos types the loader's results as rows or errors.
 */
export function nodeRows<Row>(rows: readonly (Row | Error | null | undefined)[]): (Row | Error)[] {
  return rows.map((row) => (row instanceof Error ? row : ((row ?? null) as Row)));
}
