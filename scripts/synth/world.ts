// What every synthetic cable draws on: the posts, the population, the cable ids sent so far (for
// REF lines pointing back at earlier cables) and each station's serial numbers.
import { CountryPopulation, countryInfo, knownCountries, UsPopulation } from './population.ts';
import { loadPosts, type Post } from './posts.ts';
import { Random, Weighted } from './random.ts';

/** Host-country people a cable names on average (for sizing each country's long tail). */
const HOST_PEOPLE_PER_CABLE = 4.5;
const TAIL_SHARE = 0.55;
const RECENT = 400;

export class World {
  readonly posts: Post[];
  readonly postTable: Weighted<Post>;
  /** How REF lines write each station. */
  readonly citedNames: Map<string, string>;
  /** Countries weighted by how often cables are about them: for Washington's and missions' cables and foreign mentions. */
  readonly countryTable: Weighted<string>;
  readonly us: UsPopulation;
  private readonly countries = new Map<string, CountryPopulation>();
  private readonly tailSizes = new Map<string, number>();
  private readonly recentByStation = new Map<string, string[]>();
  private readonly recent: string[] = [];
  private readonly serials = new Map<string, { year: number; serial: number; gap: number }>();

  constructor(
    private readonly random: Random,
    cables: number,
  ) {
    this.posts = loadPosts();
    this.postTable = new Weighted(
      this.posts,
      this.posts.map((post) => post.weight),
    );
    this.citedNames = new Map(this.posts.map((post) => [post.station, post.cited]));
    const byCountry = new Map<string, number>();
    for (const post of this.posts) if (post.country) byCountry.set(post.country, (byCountry.get(post.country) ?? 0) + post.weight);
    // Countries without a post of their own are still talked about, a little.
    for (const code of knownCountries()) if (!byCountry.has(code)) byCountry.set(code, 0.5);
    const codes = [...byCountry.keys()].sort();
    this.countryTable = new Weighted(
      codes,
      codes.map((code) => byCountry.get(code)!),
    );
    const total = this.posts.reduce((sum, post) => sum + post.weight, 0);
    const countryTotal = codes.reduce((sum, code) => sum + byCountry.get(code)!, 0);
    for (const code of codes) {
      // Each country's share of host picks: its posts, and its part of the cables that have no host.
      const picks = cables * (byCountry.get(code)! / countryTotal) * HOST_PEOPLE_PER_CABLE * TAIL_SHARE * (countryTotal / total + 0.1);
      this.tailSizes.set(code, Math.max(40, Math.round(2 * Math.pow(picks, 0.85))));
    }
    this.us = new UsPopulation(random.fork('united-states'));
  }

  country(code: string): CountryPopulation {
    let population = this.countries.get(code);
    if (!population) {
      const info = countryInfo(code);
      if (!info) throw new Error(`no country ${code}`);
      population = new CountryPopulation(info, this.random.fork(`country:${code}`), this.tailSizes.get(code) ?? 40);
      this.countries.set(code, population);
    }
    return population;
  }

  builtCountries(): CountryPopulation[] {
    return [...this.countries.values()];
  }

  /**
   * The next serial of a station in a year: serials climb with gaps, since the release holds only
   * part of what a post sent (Washington's serials run to six digits).
   */
  nextSerial(random: Random, station: string, year: number): number {
    let state = this.serials.get(station);
    if (!state || state.year !== year) {
      const gap = station === 'STATE' ? 60 : 1 + random.next() * 3;
      state = { year, serial: 1 + random.int(Math.ceil(gap * 20)), gap };
      this.serials.set(station, state);
      return state.serial;
    }
    state.serial += 1 + random.geometric(1 / state.gap);
    return state.serial;
  }

  /** Remembers a cable id for later REF lines. */
  sent(station: string, id: string): void {
    const list = this.recentByStation.get(station) ?? [];
    list.push(id);
    if (list.length > RECENT) list.splice(0, list.length - RECENT);
    this.recentByStation.set(station, list);
    this.recent.push(id);
    if (this.recent.length > RECENT * 4) this.recent.splice(0, this.recent.length - RECENT * 4);
  }

  /** An earlier cable: mostly the post's own recent ones, then Washington's, then anyone's. */
  earlierCable(random: Random, station: string): string | null {
    const roll = random.next();
    const own = this.recentByStation.get(station);
    const state = this.recentByStation.get('STATE');
    const list = roll < 0.6 && own?.length ? own : roll < 0.85 && state?.length ? state : this.recent;
    if (!list.length) return null;
    // Recent cables are cited most.
    const back = Math.min(list.length - 1, Math.floor(Math.pow(random.next(), 2.5) * list.length));
    return list[list.length - 1 - back]!;
  }
}
