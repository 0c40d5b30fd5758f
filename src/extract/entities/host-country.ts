// host-country: the country a cable reports from, the default affiliation of the officials it names.
import type { HeaderFields } from '../header/index.ts';
import postData from '../data/posts.json' with { type: 'json' };
import type { CountryHit } from './find-countries.ts';

const posts = postData.posts as Record<string, string | null>;

export function hostCountryOf(header: Pick<HeaderFields, 'id' | 'origin'>, hits: CountryHit[]): string | null {
  // The station in the reference id: "03OTTAWA692" was sent by the embassy in Ottawa.
  const station = header.id ? /^\d{2}([A-Z]+)\d/.exec(header.id)?.[1] : undefined;
  const fromOrigin = header.origin
    ? header.origin
        .toUpperCase()
        .replace(/^(?:EMBASSY|CONSULATE|AMEMBASSY|AMCONSUL|US MISSION|MISSION|USMISSION)\s+/, '')
        .replace(/[^A-Z]/g, '')
    : undefined;
  for (const name of [station, fromOrigin]) {
    if (name && name in posts) {
      const code = posts[name];
      if (code) return code;
      if (code === null) break;
    }
  }
  // Otherwise the country the text dwells on: the host government ("the GoC") weighs most.
  const score = new Map<string, number>();
  for (const hit of hits) {
    if (hit.code === 'US') continue;
    const weight = hit.via === 'government' ? 3 : hit.via === 'tag' ? 0.5 : 1;
    score.set(hit.code, (score.get(hit.code) ?? 0) + weight);
  }
  let best: string | null = null;
  let bestScore = 0;
  for (const [code, value] of score) if (value > bestScore) [best, bestScore] = [code, value];
  return best;
}
