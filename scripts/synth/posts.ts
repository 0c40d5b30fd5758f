// The posts that send the synthetic cables: the sample's origins with their measured weights, the
// posts the sample lacks (data/extra-posts.json) with small ones, and a boost for the big senders
// the sample under-represents.
import shape from './data/corpus-shape.json' with { type: 'json' };
import extra from './data/extra-posts.json' with { type: 'json' };
import release from './data/release.json' with { type: 'json' };
import { countryInfo } from './population.ts';

export interface Post {
  /** Station of the reference id: `MOSCOW` in `08MOSCOW1991`. */
  station: string;
  /** The station as the cable line writes it: `TEL AVIV`, `USEU BRUSSELS`. */
  written: string;
  /** The station as REF lines cite the post's cables: `TEL AVIV`, `BRUSSELS`. */
  cited: string;
  /** The FM line of the routing header: `AMEMBASSY TEL AVIV`. */
  from: string;
  /** cables.csv's origin column: `Embassy Tel Aviv`. */
  origin: string;
  country: string | null;
  /** The four letters after RUEH in routing indicators. */
  routing: string;
  weight: number;
}

const PREFIXES = /^(?:AMEMBASSY|AMCONSUL|USMISSION)\s+/;
// Cited by the station of their ids: USEU's cables are BRUSSELS cables, USINT's HAVANA ones.
const OFFICE_PREFIXES = /^(?:USEU|USINT|REO)\s+/;

function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b[a-z]/g, (letter) => letter.toUpperCase());
}

function routingCode(station: string): string {
  const letters = station.replace(/[AEIOU]/g, '');
  return (letters.slice(0, 1) + (letters.slice(-1) || station.slice(-1))).padEnd(2, 'X');
}

export function loadPosts(): Post[] {
  const posts: Post[] = [];
  const boost = release.originBoost as Record<string, number>;
  const countries = shape.originCountries as Record<string, string | null>;
  for (const origin of shape.origins) {
    const country = countries[origin.station] ?? null;
    if (country && !countryInfo(country)) continue;
    const written = origin.station === 'STATE' ? 'STATE' : origin.from.replace(PREFIXES, '').replace(/^IRAN\s+/, '');
    posts.push({
      station: origin.station,
      written,
      cited: written.replace(OFFICE_PREFIXES, ''),
      from: origin.from,
      origin: origin.origin,
      country,
      routing: routingCode(origin.station),
      // +1: a post seen once in 1,295 cables is not ten times rarer than one seen ten times.
      weight: origin.cables + 1 + (boost[origin.station] ?? 0),
    });
  }
  for (const post of extra.posts) {
    if (!countryInfo(post.country)) continue;
    const [prefix, originWord] =
      post.kind === 'consulate'
        ? ['AMCONSUL', 'Consulate']
        : post.kind === 'prt'
          ? ['REO', 'REO']
          : post.kind === 'ait'
            ? ['', 'AIT']
            : ['AMEMBASSY', 'Embassy'];
    const written = post.written;
    posts.push({
      station: post.station,
      written,
      cited: written,
      from: prefix ? `${prefix} ${written}` : written,
      origin: post.kind === 'ait' ? 'American Institute Taiwan, Taipei' : `${originWord} ${titleCase(written)}`,
      country: post.country,
      routing: routingCode(post.station),
      weight: (post.kind === 'embassy' ? 3 : 1) + (boost[post.station] ?? 0),
    });
  }
  return posts;
}
