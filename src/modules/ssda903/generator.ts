// A synthetic SSDA903 return the size of England's (issue 9, benchmark): by default 80,000
// children and about 300,000 episodes, written as CSV tables in a folder (header.csv,
// episodes.csv, ad1.csv, placed_for_adoption.csv). Every child is invented and obviously so
// (CHILD ids SYN0000001 …); each journey is coherent, with intervals drawn around the national
// averages (domain.md §2, DfE 2024: entry → decision about 9 months, decision → match about 10,
// match → placed about 1, placed → order about 9), so the return mostly passes validation:
// - about 12 % of children have a should-be-placed decision (PlacedAdoption DATE_PLACED); most
//   then get a placement order (LS E1 episode), are matched, placed (A4/A6 after a foster
//   placement, rule 336) and adopted (REC E11/E12, with their AD1 row);
// - about one in ten of them is placed early (fostering for adoption: U5, then A5 with the same
//   carers, RNE T, AD1 FOSTER_CARE = 1);
// - about one in ten has the decision reversed in the year (RD1–RD4) and stays in foster care;
// - everyone else is looked after without an adoption plan: a few placements, then home or on.
// Each child's time in care overlaps the collection year (1 April – 31 March); anything after its
// last day is cut off, as a case system's extract would be. Deterministic for a given seed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../children/synthetic-children.js';
import { tableColumns, type TableName } from './return.js';

export interface GenerateOptions {
  children?: number;
  seed?: number;
  /** The last day of the collection year, yyyy-mm-dd; default 2026-03-31 (the 2025-26 return). */
  collectionEnd?: string;
}

export interface GeneratedReturn {
  children: number;
  episodes: number;
  decisions: number;
  adopted: number;
  earlyPermanence: number;
  planChanged: number;
  files: string[];
}

export const defaultGeneratorSeed = 903_2026;
export const syntheticChildPrefix = 'SYN';

const dayMs = 86_400_000;
const toDay = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / dayMs);
const ddmmyyyy = (day: number): string => {
  const iso = new Date(day * dayMs).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
};

class Random {
  constructor(private readonly next: () => number) {}
  float = (): number => this.next();
  int = (min: number, max: number): number => min + Math.floor(this.next() * (max - min + 1));
  chance = (p: number): boolean => this.next() < p;
  pick = <T>(items: readonly T[]): T => items[Math.floor(this.next() * items.length)]!;
  /** Days from a log-normal distribution with this mean (right-skewed, like real waits). */
  days(mean: number, sigma = 0.45): number {
    const u = 1 - this.next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    const mu = Math.log(mean) - (sigma * sigma) / 2;
    return Math.max(1, Math.round(Math.exp(mu + sigma * normal)));
  }
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let at = this.next() * total;
    for (const [value, weight] of entries) {
      at -= weight;
      if (at < 0) return value;
    }
    return entries.at(-1)![0];
  }
}

const ethnicities: ReadonlyArray<readonly [string, number]> = [
  ['WBRI', 72], ['WOTH', 4], ['WIRT', 1], ['MWBC', 4], ['MWBA', 2], ['MWAS', 2], ['MOTH', 3],
  ['AIND', 1], ['APKN', 2], ['ABAN', 1], ['AOTH', 1], ['BCRB', 2], ['BAFR', 3], ['BOTH', 1],
  ['CHNE', 0.3], ['OOTH', 1], ['REFU', 0.5],
] as const; // prettier-ignore

interface Episode {
  start: number;
  end: number | null;
  rne: string;
  ls: string;
  place: string;
  provider: string;
  rec: string;
}

/** Writes the return into `dir` (created if need be) and says what is in it. */
export function generateReturn(dir: string, options: GenerateOptions = {}): GeneratedReturn {
  const count = options.children ?? 80_000;
  const r = new Random(mulberry32(options.seed ?? defaultGeneratorSeed));
  const collectionEnd = toDay(options.collectionEnd ?? '2026-03-31');
  const collectionStart = collectionEnd - 364;
  const lines: Record<'Header' | 'Episodes' | 'AD1' | 'PlacedAdoption', string[]> = {
    Header: [],
    Episodes: [],
    AD1: [],
    PlacedAdoption: [],
  };
  const totals = { episodes: 0, decisions: 0, adopted: 0, earlyPermanence: 0, planChanged: 0 };

  for (let n = 1; n <= count; n += 1) {
    const child = `${syntheticChildPrefix}${String(n).padStart(7, '0')}`;
    const sex = r.chance(0.52) ? '1' : '2';
    const ethnic = r.weighted(ethnicities);
    const episodes: Episode[] = [];
    const decisions: Array<{ date: number; ceased: number | null; reason: string }> = [];
    let dob: number;
    let ad1: string | null = null;

    if (r.chance(0.12)) {
      // An adoption journey: durations first, then placed in time so that it overlaps the year.
      const toDecision = r.days(270);
      const toOrder = r.days(60, 0.6);
      const toMatch = Math.max(toOrder + r.int(10, 60), r.days(300));
      const toPlaced = r.days(30, 0.5);
      const toAdoption = Math.max(71, r.days(270, 0.4));
      const early = r.chance(0.1);
      const reversed = !early && r.chance(0.1);
      const total = reversed ? toDecision + r.days(200) : toDecision + toMatch + toPlaced + toAdoption;
      const last = r.int(collectionStart + 1, collectionEnd + 700);
      const entered = Math.min(last - total, collectionEnd - 30);
      dob = entered - r.int(0, 1100);
      const decision = entered + toDecision;
      const order = decision + toOrder;
      const foster = r.pick(['U1', 'U3', 'U4', 'U6']);
      episodes.push({
        start: entered,
        end: null,
        rne: 'S',
        ls: r.pick(['C1', 'C2', 'V2']),
        place: foster,
        provider: 'PR1',
        rec: '',
      });
      let current = episodes[0]!;
      const next = (episode: Omit<Episode, 'end' | 'rec'>) => {
        current.end = episode.start;
        current.rec = 'X1';
        current = { ...episode, end: null, rec: '' };
        episodes.push(current);
      };
      if (reversed) {
        // The plan changes in the year (rule 118): the decision is dated so that its reversal falls in it.
        const ceased = Math.min(
          collectionEnd,
          r.int(Math.max(collectionStart, decision + 30), collectionEnd),
        );
        decisions.push({
          date: Math.max(entered + 1, Math.min(decision, ceased - 30)),
          ceased,
          reason: r.pick(['RD1', 'RD2', 'RD3', 'RD4']),
        });
        totals.planChanged += 1;
      } else {
        decisions.push({ date: decision, ceased: null, reason: '' });
        let place = foster;
        if (early) {
          // Fostering for adoption once the decision is made: foster carers who are approved adopters.
          place = 'U5';
          next({ start: decision + r.int(7, 40), rne: 'P', ls: current.ls, place, provider: 'PR1' });
          totals.earlyPermanence += 1;
        }
        if (order > current.start)
          next({ start: order, rne: 'L', ls: 'E1', place, provider: current.provider });
        else current.ls = 'E1';
        const match = decision + toMatch;
        const placed = Math.max(match + toPlaced, current.start + 1);
        next(
          early
            ? { start: placed, rne: 'T', ls: 'E1', place: 'A5', provider: 'PR1' }
            : {
                start: placed,
                rne: 'P',
                ls: 'E1',
                place: 'A6',
                provider: r.pick(['PR1', 'PR1', 'PR2', 'PR5']),
              },
        );
        const adopted = placed + toAdoption;
        current.end = adopted;
        current.rec = r.chance(0.8) ? 'E11' : 'E12';
        if (adopted <= collectionEnd) {
          const couple = r.chance(0.87);
          const sexes = couple
            ? r.weighted([
                ['MF', 85],
                ['FF', 8],
                ['MM', 7],
              ] as const)
            : r.pick(['M1', 'F1']);
          const legal = !couple
            ? 'L0'
            : sexes === 'MF'
              ? r.pick(['L11', 'L11', 'L11', 'L3'])
              : r.pick(['L12', 'L2', 'L4']);
          ad1 = [
            child,
            ddmmyyyy(dob),
            ddmmyyyy(decision),
            ddmmyyyy(match),
            early ? '1' : '0',
            couple ? '2' : '1',
            sexes,
            legal,
          ].join(',');
          totals.adopted += 1;
        }
      }
      totals.decisions += 1;
    } else {
      // Looked after without an adoption plan: a few placements, then home, another order, or still in care.
      const moves = Math.floor(r.float() * 7.6);
      const lengths = Array.from({ length: moves + 1 }, () => r.days(220, 0.8));
      const total = lengths.reduce((a, b) => a + b, 0);
      const last = r.int(collectionStart + 1, collectionEnd + 400);
      const entered = Math.min(last - total, collectionEnd - 1);
      dob = entered - r.int(0, 15 * 365);
      let start = entered;
      for (const [i, length] of lengths.entries()) {
        const ls = i === 0 ? r.pick(['C1', 'C2', 'V2', 'V2', 'J2']) : r.pick(['C2', 'C2', 'V2']);
        episodes.push({
          start,
          end: start + length,
          rne: i === 0 ? 'S' : r.pick(['P', 'P', 'B', 'L']),
          ls,
          place: r.pick(['U1', 'U3', 'U4', 'U6', 'K2', 'R1', 'P1']),
          provider: r.pick(['PR1', 'PR1', 'PR4']),
          rec: i === lengths.length - 1 ? r.pick(['E4A', 'E13', 'E41', 'E45', 'E8']) : 'X1',
        });
        start += length;
      }
    }

    // Cut at the collection year's last day: later episodes and ends are not yet known.
    const known = episodes.filter((episode) => episode.start <= collectionEnd);
    for (const episode of known) {
      if (episode.end !== null && episode.end > collectionEnd) {
        episode.end = null;
        episode.rec = '';
      }
    }
    const close = known.at(-1);
    if (close && close.end === null && close.rec === 'X1') close.rec = '';
    lines.Header.push([child, sex, ddmmyyyy(dob), ethnic, 'UN1', '', ''].join(','));
    for (const e of known) {
      lines.Episodes.push(
        [
          child,
          ddmmyyyy(e.start),
          e.rne,
          e.ls,
          'N1',
          e.place,
          e.provider,
          e.end === null ? '' : ddmmyyyy(e.end),
          e.rec,
          e.rne === 'P' ? 'CARPL' : '',
          '',
          '',
          '',
        ].join(','),
      );
    }
    for (const d of decisions) {
      if (d.date > collectionEnd) continue;
      lines.PlacedAdoption.push(
        [child, ddmmyyyy(dob), ddmmyyyy(d.date), d.ceased === null ? '' : ddmmyyyy(d.ceased), d.reason].join(
          ',',
        ),
      );
    }
    if (ad1) lines.AD1.push(ad1);
    totals.episodes += known.length;
  }

  mkdirSync(dir, { recursive: true });
  const names: Record<keyof typeof lines, string> = {
    Header: 'header.csv',
    Episodes: 'episodes.csv',
    AD1: 'ad1.csv',
    PlacedAdoption: 'placed_for_adoption.csv',
  };
  const files: string[] = [];
  for (const table of Object.keys(lines) as Array<keyof typeof lines & TableName>) {
    const file = path.join(dir, names[table]);
    writeFileSync(
      file,
      `${tableColumns[table].join(',')}\n${lines[table].join('\n')}${lines[table].length ? '\n' : ''}`,
    );
    files.push(file);
  }
  return { children: count, ...totals, files };
}
