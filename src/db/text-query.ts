// The one way user text becomes a tsquery: a bound parameter of websearch_to_tsquery, which
// accepts any string ("missile defense" -russia, a or b) without a syntax error.
import { sql, type RawBuilder } from 'kysely';

/** ts_rank_cd normalization: 1 divides by 1 + log(paragraph length), 32 maps the rank into [0, 1). */
export const RANK_NORMALIZATION = 1 | 32;

/** A web-search query as a tsquery expression over the English configuration of `paragraph.search`. */
export function textQuery(text: string): RawBuilder<unknown> {
  return sql`websearch_to_tsquery('english', ${text})`;
}
