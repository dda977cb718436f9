// A child's adoption journey as an SSDA903 return tells it (shared/domain.md §2 and §6). The
// return records episodes of care (a new row whenever the placement, carer or legal status
// changes) and two adoption tables; the scorecard (§5), the importer and the ASGLB returns need
// the journey's milestones instead: entered care, should-be-placed decision, placement order,
// match, moved in, adoption order. This file turns one into the other, as pure functions, and
// writes down each reading of the 903 guidance it makes.
import type { Ssda903Return, Ssda903Row, Ssda903Table, TableName } from './return.js';
import { byChild, isBlank, parseReturnDate } from './rules/helpers.js';

/** PLACE codes of a placement for adoption (A3/A5 with the current foster carer, A4/A6 with others). */
export const adoptionPlacementCodes = ['A3', 'A4', 'A5', 'A6'] as const;
/** PLACE codes of an early permanence placement: foster carers who are also approved adopters (FfA / concurrent planning). */
export const earlyPermanencePlacementCodes = ['U2', 'U5'] as const;
/** LS codes that give the council authority to place: placement order (E1) or an older freeing order (D1). */
export const authorityToPlaceLegalStatuses = ['E1', 'D1'] as const;
/** REC codes for an adoption order: E11 application unopposed, E12 consent dispensed with. */
export const adoptedReasonsEpisodeCeased = ['E11', 'E12'] as const;
/**
 * RNE codes meaning the child stayed with the same carer: T (placement change, same carer),
 * U (legal status and placement change, same carer) and L (legal status change only).
 * S (new period of care), P and B (change of carer) mean the child moved to new carers.
 */
export const sameCarerReasonsNewEpisode = ['T', 'U', 'L'] as const;

export type ReasonPlacedCeased = 'RD1' | 'RD2' | 'RD3' | 'RD4';

/** One episode of care, with its dates in ISO form (null when blank or not a real date). */
export interface ReturnEpisode {
  /** 0-based data row in the Episodes table (of the latest return the episode came from). */
  row: number;
  /** DECOM: the date the episode began. */
  start: string | null;
  /** DEC: the date it ceased, null while open. */
  end: string | null;
  /** RNE: why a new episode began. */
  reasonNewEpisode: string;
  /** LS: legal status. */
  legalStatus: string;
  /** PLACE: placement type. */
  placement: string;
  /** PLACE_PROVIDER: PR1 own council (including an RAA it hosts), PR2 another council, PR5 voluntary… */
  placementProvider: string;
  /** REC: why the episode ceased ('X1' for a same-day change of episode). */
  reasonEpisodeCeased: string;
  /** REASON_PLACE_CHANGE. */
  reasonPlaceChange: string;
  /** URN: Ofsted unique reference of the placement, when there is one. */
  urn: string;
}

/** A decision that the child should be placed for adoption, and whether it was later reversed. */
export interface ShouldBePlacedDecision {
  /** DATE_PLACED (PlacedAdoption) or DATE_INT (AD1): the ADM's decision date, not a move-in date. */
  date: string | null;
  /** DATE_PLACED_CEASED: when it was decided the child should no longer be placed. */
  ceasedDate: string | null;
  /** REASON_PLACED_CEASED: RD1 needs changed, RD2 no placement order, RD3 no adopters found, RD4 other. */
  ceasedReason: ReasonPlacedCeased | null;
  /** Where the decision was read from. AD1 is used only when no PlacedAdoption row has the same date. */
  source: 'PlacedAdoption' | 'AD1';
}

export interface ReturnChildJourney {
  /** CHILD: the council's own identifier (unique only within that council). */
  childId: string;
  dateOfBirth: string | null;
  /** SEX as returned: '1' male, '2' female. */
  sex: string;
  /** ETHNIC as returned (e.g. WBRI, MWBA, BAFR). */
  ethnicity: string;
  /** DECOM of the RNE 'S' episode that began the latest period of care; null when the files do not reach back to it. */
  enteredCare: string | null;
  /** DECOM of the first episode of that period with legal status E1 (placement order) or D1 (freeing order). */
  placementOrder: string | null;
  /** Every should-be-placed decision, oldest first. */
  shouldBePlacedDecisions: ShouldBePlacedDecision[];
  /** AD1 DATE_INT: the decision behind the adoption recorded in AD1 (only adopted children have an AD1 row). */
  shouldBePlacedDateOfAdoption: string | null;
  /** The latest should-be-placed decision date (AD1 DATE_INT when there is one). */
  shouldBePlaced: string | null;
  /** AD1 DATE_MATCH: the council ADM's match decision. */
  matchDecision: string | null;
  /** DECOM of the first U2/U5 episode of the period: the child's first early permanence (FfA / concurrent) placement. */
  earlyPermanencePlacement: string | null;
  /** DECOM of the first adoption placement episode (PLACE A3–A6) of the period: "placed for adoption". */
  placedForAdoption: string | null;
  /** PLACE of that first adoption placement episode. */
  adoptionPlacementCode: string | null;
  /** PLACE_PROVIDER of that episode (the agency whose adopters the child was placed with). */
  placementProvider: string | null;
  /**
   * The date the child moved in with the family who adopted them (A10's clock stop). For a child
   * adopted by their foster carers, the start of the unbroken run of same-carer episodes leading
   * into the adoption placement; for everyone else, the adoption placement date.
   */
  movedInWithAdoptiveCarers: string | null;
  /** DEC of the episode that ceased with REC E11/E12: the adoption order. */
  adoptionOrder: string | null;
  /** AD1 FOSTER_CARE = 1 (or, when AD1 leaves it blank, the adoption placement was A3/A5 with the current foster carer). */
  adoptedByFosterCarers: boolean;
  /** AD1 NB_ADOPTR: adopted by one person or a couple. */
  numberOfAdopters: 1 | 2 | null;
  /** The latest should-be-placed decision was reversed (ceased with RD1–RD4): the plan changed away from adoption. */
  planChangedAwayFromAdoption: { date: string | null; reason: ReasonPlacedCeased | null } | null;
  /** Episodes of the latest period of care, oldest first (all the child's episodes when no 'S' episode is in the files). */
  episodes: ReturnEpisode[];
  /** Every episode of the child in the files, oldest first. */
  allEpisodes: ReturnEpisode[];
}

const value = (row: Ssda903Row, column: string): string => (row[column] ?? '').trim();
const upper = (row: Ssda903Row, column: string): string => value(row, column).toUpperCase();

function includes<T extends string>(codes: readonly T[], code: string): code is T {
  return (codes as readonly string[]).includes(code);
}

function toEpisode(row: Ssda903Row, index: number): ReturnEpisode {
  return {
    row: index,
    start: parseReturnDate(row.DECOM),
    end: parseReturnDate(row.DEC),
    reasonNewEpisode: upper(row, 'RNE'),
    legalStatus: upper(row, 'LS'),
    placement: upper(row, 'PLACE'),
    placementProvider: upper(row, 'PLACE_PROVIDER'),
    reasonEpisodeCeased: upper(row, 'REC'),
    reasonPlaceChange: upper(row, 'REASON_PLACE_CHANGE'),
    urn: value(row, 'URN'),
  };
}

/** Oldest first; episodes without a readable start date go last, in file order. */
function byStart(a: ReturnEpisode, b: ReturnEpisode): number {
  if (a.start === b.start) return a.row - b.row;
  if (a.start === null) return 1;
  if (b.start === null) return -1;
  return a.start < b.start ? -1 : 1;
}

/**
 * The latest period of care: from the last episode with RNE 'S' onwards. A child adopted leaves
 * care at the order, so the period that holds the adoption is the last one. When the files hold no
 * 'S' episode (the period began before the earliest return supplied) every episode is kept, but the
 * date of entering care is unknown.
 */
function latestPeriodOfCare(episodes: ReturnEpisode[]): {
  enteredCare: string | null;
  episodes: ReturnEpisode[];
} {
  let startIndex = -1;
  episodes.forEach((episode, index) => {
    if (episode.reasonNewEpisode === 'S' && episode.start !== null) startIndex = index;
  });
  if (startIndex < 0) return { enteredCare: null, episodes };
  return { enteredCare: episodes[startIndex]?.start ?? null, episodes: episodes.slice(startIndex) };
}

/**
 * When a child adopted by their foster carers moved in with them: walk back from the adoption
 * placement through episodes that began with RNE T, U or L (same carer), as long as each follows
 * the previous one without a gap, and take the start of the episode that began the run (RNE S, P
 * or B — the move to these carers). DfE's A10 stops the clock then (Adoption Scorecard
 * methodology; ASGLB "date first placed with the foster carers who adopted").
 */
export function movedInWithCarersFromEpisodes(
  episodes: ReturnEpisode[],
  adoptionPlacementIndex: number,
): string | null {
  let index = adoptionPlacementIndex;
  let current = episodes[index];
  if (!current) return null;
  while (index > 0 && includes(sameCarerReasonsNewEpisode, current.reasonNewEpisode)) {
    const previous = episodes[index - 1];
    if (!previous || previous.start === null) break;
    // A gap between episodes means the child was not continuously with these carers.
    if (previous.end !== null && current.start !== null && previous.end !== current.start) break;
    index -= 1;
    current = previous;
  }
  return current.start;
}

function reasonCeased(code: string): ReasonPlacedCeased | null {
  return code === 'RD1' || code === 'RD2' || code === 'RD3' || code === 'RD4' ? code : null;
}

function decisionsFrom(placed: Ssda903Row[], ad1: Ssda903Row | undefined): ShouldBePlacedDecision[] {
  const decisions: ShouldBePlacedDecision[] = placed.map((row) => ({
    date: parseReturnDate(row.DATE_PLACED),
    ceasedDate: parseReturnDate(row.DATE_PLACED_CEASED),
    ceasedReason: reasonCeased(upper(row, 'REASON_PLACED_CEASED')),
    source: 'PlacedAdoption' as const,
  }));
  const dateInt = ad1 ? parseReturnDate(ad1.DATE_INT) : null;
  // Rule 523: AD1 DATE_INT should equal PlacedAdoption DATE_PLACED. When a council sent only AD1
  // (or the dates disagree) the AD1 decision is kept as its own decision rather than lost.
  if (dateInt !== null && !decisions.some((decision) => decision.date === dateInt)) {
    decisions.push({ date: dateInt, ceasedDate: null, ceasedReason: null, source: 'AD1' });
  }
  // Several rows for the same decision date (e.g. from merged years) are one decision: keep the fullest.
  const unique = new Map<string, ShouldBePlacedDecision>();
  const undated: ShouldBePlacedDecision[] = [];
  for (const decision of decisions) {
    if (decision.date === null) {
      undated.push(decision);
      continue;
    }
    const seen = unique.get(decision.date);
    if (!seen || (seen.ceasedDate === null && decision.ceasedDate !== null))
      unique.set(decision.date, decision);
  }
  return [...[...unique.values()].sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? -1 : 1)), ...undated];
}

/** One child's journey from their rows in each table. */
export function journeyOfChild(
  childId: string,
  rows: {
    header?: Ssda903Row;
    episodes: Array<{ row: Ssda903Row; index: number }>;
    ad1?: Ssda903Row;
    placed: Ssda903Row[];
  },
): ReturnChildJourney {
  const allEpisodes = rows.episodes.map(({ row, index }) => toEpisode(row, index)).sort(byStart);
  const period = latestPeriodOfCare(allEpisodes);
  const episodes = period.episodes;

  const placementOrderEpisode = episodes.find(
    (episode) => includes(authorityToPlaceLegalStatuses, episode.legalStatus) && episode.start !== null,
  );
  const earlyPermanenceEpisode = episodes.find(
    (episode) => includes(earlyPermanencePlacementCodes, episode.placement) && episode.start !== null,
  );
  const adoptionPlacementIndex = episodes.findIndex(
    (episode) => includes(adoptionPlacementCodes, episode.placement) && episode.start !== null,
  );
  const adoptionPlacement = adoptionPlacementIndex >= 0 ? episodes[adoptionPlacementIndex] : undefined;
  // The last episode ending in adoption: one child is adopted once; a later duplicate would be an error elsewhere.
  const adoptedEpisode = [...episodes]
    .reverse()
    .find((episode) => includes(adoptedReasonsEpisodeCeased, episode.reasonEpisodeCeased));

  const ad1 = rows.ad1;
  const fosterCare = ad1 ? value(ad1, 'FOSTER_CARE') : '';
  // AD1 FOSTER_CARE is the council's own statement; rule 335 requires it to agree with A3/A5, so
  // the placement code only stands in when AD1 leaves it blank (or there is no AD1 row).
  const adoptedByFosterCarers =
    fosterCare === '1' ||
    (fosterCare === '' &&
      adoptionPlacement !== undefined &&
      (adoptionPlacement.placement === 'A3' || adoptionPlacement.placement === 'A5'));

  const placedForAdoption = adoptionPlacement?.start ?? null;
  const movedInWithAdoptiveCarers =
    adoptionPlacement && adoptedByFosterCarers
      ? movedInWithCarersFromEpisodes(episodes, adoptionPlacementIndex)
      : placedForAdoption;

  const decisions = decisionsFrom(rows.placed, ad1);
  const shouldBePlacedDateOfAdoption = ad1 ? parseReturnDate(ad1.DATE_INT) : null;
  const latestDecision = [...decisions].reverse().find((decision) => decision.date !== null);
  const reversed =
    latestDecision && (latestDecision.ceasedReason !== null || latestDecision.ceasedDate !== null)
      ? latestDecision
      : undefined;

  const header = rows.header;
  return {
    childId,
    dateOfBirth: header ? parseReturnDate(header.DOB) : null,
    sex: header ? value(header, 'SEX') : '',
    ethnicity: header ? upper(header, 'ETHNIC') : '',
    enteredCare: period.enteredCare,
    placementOrder: placementOrderEpisode?.start ?? null,
    shouldBePlacedDecisions: decisions,
    shouldBePlacedDateOfAdoption,
    shouldBePlaced: shouldBePlacedDateOfAdoption ?? latestDecision?.date ?? null,
    matchDecision: ad1 ? parseReturnDate(ad1.DATE_MATCH) : null,
    earlyPermanencePlacement: earlyPermanenceEpisode?.start ?? null,
    placedForAdoption,
    adoptionPlacementCode: adoptionPlacement?.placement ?? null,
    placementProvider:
      adoptionPlacement && !isBlank(adoptionPlacement.placementProvider)
        ? adoptionPlacement.placementProvider
        : null,
    movedInWithAdoptiveCarers,
    adoptionOrder: adoptedEpisode?.end ?? null,
    adoptedByFosterCarers,
    numberOfAdopters:
      ad1 && value(ad1, 'NB_ADOPTR') === '1' ? 1 : ad1 && value(ad1, 'NB_ADOPTR') === '2' ? 2 : null,
    planChangedAwayFromAdoption: reversed
      ? { date: reversed.ceasedDate, reason: reversed.ceasedReason }
      : null,
    episodes,
    allEpisodes,
  };
}

/**
 * One journey per CHILD found in any of Header, Episodes, AD1 or PlacedAdoption, in the order the
 * children first appear (Header first). A child with two Header or AD1 rows uses the first; the
 * validator reports the duplicate.
 */
export function journeysFromReturn(ret: Ssda903Return): ReturnChildJourney[] {
  const headers = byChild(ret, 'Header');
  const episodes = byChild(ret, 'Episodes');
  const ad1 = byChild(ret, 'AD1');
  const placed = byChild(ret, 'PlacedAdoption');
  const children = new Set<string>();
  for (const groups of [headers, episodes, ad1, placed])
    for (const child of groups.keys()) if (child !== '') children.add(child);
  return [...children].map((childId) =>
    journeyOfChild(childId, {
      header: headers.get(childId)?.[0]?.row,
      episodes: episodes.get(childId) ?? [],
      ad1: ad1.get(childId)?.[0]?.row,
      placed: (placed.get(childId) ?? []).map((entry) => entry.row),
    }),
  );
}

function rowKey(table: TableName, row: Ssda903Row): string | null {
  const child = value(row, 'CHILD');
  switch (table) {
    case 'Header':
    case 'AD1':
      return child;
    case 'Episodes':
      return `${child}|${value(row, 'DECOM')}`;
    case 'PlacedAdoption':
      return `${child}|${value(row, 'DATE_PLACED')}`;
    default:
      return null;
  }
}

/**
 * Several years' returns of one council as one return, merged per child, so that a journey
 * longer than a year (most adoptions) is seen whole. Each year's return repeats the episodes still
 * open at its start; an episode is identified by CHILD + DECOM, a decision by CHILD + DATE_PLACED,
 * and the later return's row wins (it has the end date the earlier one could not know). Header and
 * AD1 rows are the latest return's. Pass the returns oldest first. Tables other than these four are
 * concatenated.
 */
export function mergeReturns(returns: readonly Ssda903Return[]): Ssda903Return {
  const tables: Partial<Record<TableName, Ssda903Table>> = {};
  const merged = new Map<TableName, Map<string, Ssda903Row>>();
  const loose = new Map<TableName, Ssda903Row[]>();
  const sources = new Map<TableName, string[]>();
  for (const ret of returns) {
    for (const [name, table] of Object.entries(ret.tables) as Array<[TableName, Ssda903Table | undefined]>) {
      if (!table) continue;
      sources.set(name, [...(sources.get(name) ?? []), table.source]);
      for (const row of table.rows) {
        const key = rowKey(name, row);
        if (key === null) {
          loose.set(name, [...(loose.get(name) ?? []), row]);
          continue;
        }
        let byKey = merged.get(name);
        if (!byKey) merged.set(name, (byKey = new Map()));
        byKey.delete(key);
        byKey.set(key, row);
      }
    }
  }
  for (const [name, names] of sources) {
    tables[name] = {
      name,
      source: names.join(', '),
      missingColumns: [],
      rows: [...(merged.get(name)?.values() ?? []), ...(loose.get(name) ?? [])],
    };
  }
  return { tables, problems: returns.flatMap((ret) => ret.problems) };
}
