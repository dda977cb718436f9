// The second thirty adoption rules of shared/ssda903/adoption-rules-2025-26.tsv, in TSV order
// (the first thirty are in rules-a.ts). Each rule follows the DfE message; where the message
// leaves a choice open (which of a child's several decisions or episodes to compare), the
// choice is written beside the rule. Messages are copied word for word from the TSV, including
// the two (553, 557) that the TSV cuts short.
import type { Ssda903Return, Ssda903Row, TableName } from '../return.js';
import { byChild, isBlank, parseReturnDate, rowsOf } from './helpers.js';
import type { Rule, RuleContext, RuleFlags } from './rule.js';

type Entry = { row: Ssda903Row; index: number };

/** Episodes.PLACE codes for a child placed for adoption (with current foster carers or others). */
const PLACED_FOR_ADOPTION = ['A3', 'A4', 'A5', 'A6'];
/** Episodes.REC codes for a child who stopped being looked after because they were adopted. */
const ADOPTED = ['E11', 'E12'];
/** The AD1 items a council completes for a child adopted during the year. */
const AD1_ITEMS = ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'];

function code(row: Ssda903Row, column: string): string {
  return (row[column] ?? '').trim();
}

function date(row: Ssda903Row, column: string): string | null {
  return parseReturnDate(row[column]);
}

function present(ret: Ssda903Return | undefined, ...tables: TableName[]): boolean {
  // A rule that needs a table the return does not have stays silent, as the DfE validator does:
  // the missing file is the reader's to report, not sixty rules' at once.
  return ret !== undefined && tables.every((table) => ret.tables[table] !== undefined);
}

/** Rows by CHILD, leaving out rows with no CHILD id (they cannot be matched across tables). */
function children(ret: Ssda903Return | undefined, table: TableName): Map<string, Entry[]> {
  const groups = byChild(ret, table);
  groups.delete('');
  return groups;
}

/** A decision that is still open: no date that the child should no longer be placed for adoption. */
function isOpen(row: Ssda903Row): boolean {
  return isBlank(row.DATE_PLACED_CEASED);
}

/** The entry with the earliest valid date in `column` (file order breaks ties), if any. */
function earliest(entries: readonly Entry[], column: string): { entry: Entry; date: string } | undefined {
  let best: { entry: Entry; date: string } | undefined;
  for (const entry of entries) {
    const value = date(entry.row, column);
    if (value !== null && (best === undefined || value < best.date)) best = { entry, date: value };
  }
  return best;
}

/** The child's latest episode: latest valid DECOM, later rows winning ties; else the last row. */
function latestEpisode(episodes: readonly Entry[]): Entry | undefined {
  let best: Entry | undefined;
  let bestDate: string | null = null;
  for (const entry of episodes) {
    const value = date(entry.row, 'DECOM');
    if (value !== null && (bestDate === null || value >= bestDate)) {
      best = entry;
      bestDate = value;
    }
  }
  return best ?? episodes[episodes.length - 1];
}

function inCollectionYear(value: string | null, context: RuleContext): boolean {
  return value !== null && value >= context.collectionStart && value <= context.collectionEnd;
}

/** Collects flagged row positions per table, without duplicates, in file order. */
class Flags {
  private readonly byTable = new Map<TableName, Set<number>>();

  add(table: TableName, index: number): void {
    const set = this.byTable.get(table) ?? new Set<number>();
    set.add(index);
    this.byTable.set(table, set);
  }

  result(): RuleFlags {
    const flags: RuleFlags = {};
    for (const [table, set] of this.byTable) flags[table] = [...set].sort((a, b) => a - b);
    return flags;
  }
}

/** AD1 rows whose legal status is `status` and whose genders of adopters are not one of `allowed`. */
function adopterGenders(status: string, allowed: readonly string[]): Rule['check'] {
  return ({ current }) => {
    const flags = new Flags();
    for (const { row, index } of rowsOf(current, 'AD1')) {
      if (code(row, 'LS_ADOPTR') === status && !allowed.includes(code(row, 'SEX_ADOPTR')))
        flags.add('AD1', index);
    }
    return flags.result();
  };
}

/** Rows of `table` whose CHILD does not appear in Header (INT01, INT02). */
function notInHeader(table: TableName): Rule['check'] {
  return ({ current }) => {
    if (!present(current, 'Header', table)) return {};
    const header = children(current, 'Header');
    const flags = new Flags();
    for (const { row, index } of rowsOf(current, table)) {
      if (!header.has(code(row, 'CHILD'))) flags.add(table, index);
    }
    return flags.result();
  };
}

/**
 * Rows of `table` whose DOB differs from the child's DOB in Header (INT11, INT12). Only valid
 * dates are compared (a bad or blank date is another rule's finding), and a DOB that matches any
 * of the child's Header rows passes (duplicate Header rows are reported elsewhere).
 */
function dobDiffersFromHeader(table: TableName): Rule['check'] {
  return ({ current }) => {
    if (!present(current, 'Header', table)) return {};
    const header = children(current, 'Header');
    const flags = new Flags();
    for (const { row, index } of rowsOf(current, table)) {
      const dob = date(row, 'DOB');
      const headerDobs = (header.get(code(row, 'CHILD')) ?? [])
        .map((entry) => date(entry.row, 'DOB'))
        .filter((value): value is string => value !== null);
      if (dob !== null && headerDobs.length > 0 && !headerDobs.includes(dob)) flags.add(table, index);
    }
    return flags.result();
  };
}

export const rulesB: Rule[] = [
  {
    code: '518',
    message:
      'If reporting legal status of adopters is L4 then the genders of adopters should be coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple are both females.',
    fields: ['LS_ADOPTR', 'SEX_ADOPTR'],
    check: adopterGenders('L4', ['MM', 'FF']),
  },
  {
    code: '519',
    message:
      'Data entered on the legal status of adopters shows civil partnership couple, but data entered on genders of adopters does not show it as a couple.',
    fields: ['LS_ADOPTR', 'SEX_ADOPTR'],
    // Civil partnerships have been open to different-sex couples since 2019 (Civil Partnership
    // (Opposite-sex Couples) Regulations 2019), so MF is a couple too.
    check: adopterGenders('L2', ['MM', 'FF', 'MF']),
  },
  {
    code: '520',
    message:
      'Data entry on the legal status of adopters shows different gender married couple but data entry on genders of adopters shows it as a same gender couple.',
    fields: ['LS_ADOPTR', 'SEX_ADOPTR'],
    check: ({ current }) => {
      const flags = new Flags();
      for (const { row, index } of rowsOf(current, 'AD1')) {
        if (code(row, 'LS_ADOPTR') === 'L11' && ['MM', 'FF'].includes(code(row, 'SEX_ADOPTR')))
          flags.add('AD1', index);
      }
      return flags.result();
    },
  },
  {
    code: '521',
    message:
      "Date of local authority's decision (LA) that adoption is in the best interests of the child (date should be placed) must be on or prior to the date the child is placed for adoption.",
    fields: ['PLACE', 'DECOM', 'DATE_INT'],
    // Every placed-for-adoption episode that starts before AD1's "date should be placed" is flagged,
    // with the AD1 row.
    check: ({ current }) => {
      if (!present(current, 'Episodes', 'AD1')) return {};
      const ad1 = children(current, 'AD1');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        for (const adoption of ad1.get(child) ?? []) {
          const shouldBePlaced = date(adoption.row, 'DATE_INT');
          if (shouldBePlaced === null) continue;
          for (const episode of episodes) {
            const decom = date(episode.row, 'DECOM');
            if (
              PLACED_FOR_ADOPTION.includes(code(episode.row, 'PLACE')) &&
              decom !== null &&
              decom < shouldBePlaced
            ) {
              flags.add('Episodes', episode.index);
              flags.add('AD1', adoption.index);
            }
          }
        }
      }
      return flags.result();
    },
  },
  {
    code: '522',
    message:
      'Date of decision that the child should be placed for adoption must be on or before the date that a child should no longer be placed for adoption.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'],
    check: ({ current }) => {
      const flags = new Flags();
      for (const { row, index } of rowsOf(current, 'PlacedAdoption')) {
        const placed = date(row, 'DATE_PLACED');
        const ceased = date(row, 'DATE_PLACED_CEASED');
        if (placed !== null && ceased !== null && placed > ceased) flags.add('PlacedAdoption', index);
      }
      return flags.result();
    },
  },
  {
    code: '523',
    message:
      'Date of decision that the child should be placed for adoption should be the same date as the decision that adoption is in the best interest (date should be placed).',
    fields: ['DATE_PLACED', 'DATE_INT'],
    // A child may have had an earlier decision reversed, so the AD1 date passes when it matches any
    // of the child's decisions; when none matches, the AD1 row and every dated decision are flagged.
    check: ({ current }) => {
      if (!present(current, 'PlacedAdoption', 'AD1')) return {};
      const decisions = children(current, 'PlacedAdoption');
      const flags = new Flags();
      for (const [child, adoptions] of children(current, 'AD1')) {
        const dated = (decisions.get(child) ?? []).flatMap((entry) => {
          const placed = date(entry.row, 'DATE_PLACED');
          return placed === null ? [] : [{ entry, placed }];
        });
        if (dated.length === 0) continue;
        for (const adoption of adoptions) {
          const shouldBePlaced = date(adoption.row, 'DATE_INT');
          if (shouldBePlaced === null || dated.some(({ placed }) => placed === shouldBePlaced)) continue;
          flags.add('AD1', adoption.index);
          for (const { entry } of dated) flags.add('PlacedAdoption', entry.index);
        }
      }
      return flags.result();
    },
  },
  {
    code: '524',
    message:
      'If reporting legal status of adopters is L12 then the genders of adopters should be coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple are both females',
    fields: ['LS_ADOPTR', 'SEX_ADOPTR'],
    check: adopterGenders('L12', ['MM', 'FF']),
  },
  {
    code: '525',
    message:
      'A child for whom the decision to be placed for adoption has been reversed cannot be adopted during the year.',
    fields: [
      'DATE_PLACED_CEASED',
      'DATE_INT',
      'DATE_MATCH',
      'FOSTER_CARE',
      'NB_ADOPTR',
      'SEX_ADOPTR',
      'LS_ADOPTR',
    ],
    // "Reversed" is read as: every decision the return holds for the child has a date it ceased.
    // A child whose first decision was reversed and who was adopted under a later, open decision
    // is not flagged (rules 558 and 583 look at the order of decisions).
    check: ({ current }) => {
      if (!present(current, 'PlacedAdoption', 'AD1')) return {};
      const ad1 = children(current, 'AD1');
      const flags = new Flags();
      for (const [child, decisions] of children(current, 'PlacedAdoption')) {
        if (decisions.some((entry) => isOpen(entry.row))) continue;
        const completed = (ad1.get(child) ?? []).filter((entry) =>
          AD1_ITEMS.some((item) => !isBlank(entry.row[item])),
        );
        if (completed.length === 0) continue;
        for (const entry of decisions) flags.add('PlacedAdoption', entry.index);
        for (const entry of completed) flags.add('AD1', entry.index);
      }
      return flags.result();
    },
  },
  {
    code: '529',
    message:
      'Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these placements cannot be provided by other public organisations.',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: ({ current }) => {
      const notByOtherPublicBodies = [
        'P1',
        'A3',
        'A4',
        'A5',
        'A6',
        'K1',
        'K2',
        'U1',
        'U2',
        'U3',
        'U4',
        'U5',
        'U6',
      ];
      const flags = new Flags();
      for (const { row, index } of rowsOf(current, 'Episodes')) {
        if (code(row, 'PLACE_PROVIDER') === 'PR3' && notByOtherPublicBodies.includes(code(row, 'PLACE'))) {
          flags.add('Episodes', index);
        }
      }
      return flags.result();
    },
  },
  {
    code: '551',
    message:
      'Child has been placed for adoption but there is no date of the decision that the child should be placed for adoption.',
    fields: ['DATE_PLACED', 'PLACE'],
    // Any completed decision date counts (a malformed one is reported by the date rules).
    check: ({ current }) => {
      if (!present(current, 'Episodes', 'PlacedAdoption')) return {};
      const decisions = children(current, 'PlacedAdoption');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        const decided = (decisions.get(child) ?? []).some((entry) => !isBlank(entry.row.DATE_PLACED));
        if (decided) continue;
        for (const episode of episodes) {
          if (PLACED_FOR_ADOPTION.includes(code(episode.row, 'PLACE'))) flags.add('Episodes', episode.index);
        }
      }
      return flags.result();
    },
  },
  {
    code: '552',
    message:
      'Date of Decision to place a child for adoption should be on or prior to the date that the child was placed for adoption.',
    fields: ['DATE_PLACED', 'DECOM'],
    // The child's first placed-for-adoption episode must not start before their earliest decision;
    // later decisions (after a reversed one) are not compared with earlier placements.
    check: ({ current }) => {
      if (!present(current, 'Episodes', 'PlacedAdoption')) return {};
      const decisions = children(current, 'PlacedAdoption');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        const placement = earliest(
          episodes.filter((entry) => PLACED_FOR_ADOPTION.includes(code(entry.row, 'PLACE'))),
          'DECOM',
        );
        const decision = earliest(decisions.get(child) ?? [], 'DATE_PLACED');
        if (placement && decision && decision.date > placement.date) {
          flags.add('Episodes', placement.entry.index);
          flags.add('PlacedAdoption', decision.entry.index);
        }
      }
      return flags.result();
    },
  },
  {
    code: '553',
    message: 'Placement order has been granted but there is no date of decision that the child should ',
    fields: ['CHILD', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'],
    // Flags placement-order (LS E1) episodes of a child with no completed decision date, with any
    // undated decision rows; and, while a placement order episode is still open, the child's
    // decisions when every one of them has ceased (no decision is in force).
    check: ({ current }) => {
      if (!present(current, 'Episodes', 'PlacedAdoption')) return {};
      const decisions = children(current, 'PlacedAdoption');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        const orders = episodes.filter((entry) => code(entry.row, 'LS') === 'E1');
        if (orders.length === 0) continue;
        const own = decisions.get(child) ?? [];
        if (!own.some((entry) => !isBlank(entry.row.DATE_PLACED))) {
          for (const entry of orders) flags.add('Episodes', entry.index);
          for (const entry of own) flags.add('PlacedAdoption', entry.index);
        } else if (
          orders.some((entry) => isBlank(entry.row.DEC)) &&
          !own.some((entry) => isOpen(entry.row))
        ) {
          for (const entry of own) flags.add('PlacedAdoption', entry.index);
        }
      }
      return flags.result();
    },
  },
  {
    code: '554',
    message:
      'Date of decision that the child should be placed for adoption should be on or prior to the date that the placement order was granted. [NOTE: This rule may result in false positives or false negatives if relevant episodes are in previous years; please check carefully!]',
    fields: ['DATE_PLACED', 'DECOM', 'LS'],
    // The placement order is taken as granted at the start of the child's first LS E1 episode and
    // compared with the child's earliest decision.
    check: ({ current }) => {
      if (!present(current, 'Episodes', 'PlacedAdoption')) return {};
      const decisions = children(current, 'PlacedAdoption');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        const order = earliest(
          episodes.filter((entry) => code(entry.row, 'LS') === 'E1'),
          'DECOM',
        );
        const decision = earliest(decisions.get(child) ?? [], 'DATE_PLACED');
        if (order && decision && decision.date > order.date) {
          flags.add('Episodes', order.entry.index);
          flags.add('PlacedAdoption', decision.entry.index);
        }
      }
      return flags.result();
    },
  },
  {
    code: '557',
    message: 'Child for whom the decision was made that they should be placed for adoption has left care ',
    fields: ['DATE_PLACED_CEASED', 'REASON_PLACED_CEASED', 'PLACE', 'LS', 'REC'],
    // "Left care but was not adopted": the child's latest episode has ended for a reason other
    // than adoption (REC neither blank, X1 nor E11/E12). A decision is shown by a PlacedAdoption
    // row, or by a placed-for-adoption or placement-order episode. Flags that latest episode and
    // every decision lacking the date or the reason it ceased.
    check: ({ current }) => {
      if (!present(current, 'Episodes', 'PlacedAdoption')) return {};
      const decisions = children(current, 'PlacedAdoption');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        const last = latestEpisode(episodes);
        const reason = last ? code(last.row, 'REC') : '';
        if (!last || reason === '' || reason === 'X1' || ADOPTED.includes(reason)) continue;
        const own = decisions.get(child) ?? [];
        const adoptionEpisodes = episodes.some(
          (entry) => PLACED_FOR_ADOPTION.includes(code(entry.row, 'PLACE')) || code(entry.row, 'LS') === 'E1',
        );
        if (own.length === 0 && !adoptionEpisodes) continue;
        const incomplete = own.filter(
          (entry) => isBlank(entry.row.DATE_PLACED_CEASED) || isBlank(entry.row.REASON_PLACED_CEASED),
        );
        if (own.length > 0 && incomplete.length === 0) continue;
        flags.add('Episodes', last.index);
        for (const entry of incomplete) flags.add('PlacedAdoption', entry.index);
      }
      return flags.result();
    },
  },
  {
    code: '558',
    message:
      'If a child has been adopted, then the decision to place them for adoption has not been disrupted and the date of the decision that a child should no longer be placed for adoption should be left blank.',
    fields: ['DATE_PLACED_CEASED', 'REC'],
    // As the DfE specification has it: for an adopted child with more than one decision, the
    // decision under which they were adopted must still be open. A single ceased decision for an
    // adopted child is rule 525's finding, not this one's.
    check: ({ current }) => {
      if (!present(current, 'Episodes', 'PlacedAdoption')) return {};
      const decisions = children(current, 'PlacedAdoption');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        const own = decisions.get(child) ?? [];
        if (own.length < 2 || own.some((entry) => isOpen(entry.row))) continue;
        for (const entry of episodes) {
          if (ADOPTED.includes(code(entry.row, 'REC'))) flags.add('Episodes', entry.index);
        }
      }
      return flags.result();
    },
  },
  {
    code: '559',
    message:
      'Date of decision that a child should be placed for adoption was not in the current year but the date of the decision that the child should be placed for adoption was not completed in a previous return.',
    fields: ['DATE_PLACED'],
    // Needs last year's return; a child absent from last year's PlacedAdoption counts as not completed.
    check: ({ current, previous, collectionStart }) => {
      if (!present(current, 'PlacedAdoption') || !present(previous, 'PlacedAdoption')) return {};
      const last = children(previous, 'PlacedAdoption');
      const flags = new Flags();
      for (const { row, index } of rowsOf(current, 'PlacedAdoption')) {
        const placed = date(row, 'DATE_PLACED');
        if (placed === null || placed >= collectionStart) continue;
        const completedLastYear = (last.get(code(row, 'CHILD')) ?? []).some(
          (entry) => !isBlank(entry.row.DATE_PLACED),
        );
        if (!completedLastYear) flags.add('PlacedAdoption', index);
      }
      return flags.result();
    },
  },
  {
    code: '560',
    message:
      'Date of decision that the child should be placed for adoption this year is different from that recorded last year but the decision to place the child for adoption did not change.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'],
    // A decision still open at the end of last year must reappear this year with the same date;
    // when none of the child's rows this year carries it, all of them are flagged.
    check: ({ current, previous }) => {
      if (!present(current, 'PlacedAdoption') || !present(previous, 'PlacedAdoption')) return {};
      const last = children(previous, 'PlacedAdoption');
      const flags = new Flags();
      for (const [child, rows] of children(current, 'PlacedAdoption')) {
        const stillOpen = (last.get(child) ?? [])
          .filter((entry) => isOpen(entry.row))
          .map((entry) => date(entry.row, 'DATE_PLACED'))
          .filter((value): value is string => value !== null);
        if (stillOpen.length === 0) continue;
        const carried = rows.some((entry) => {
          const placed = date(entry.row, 'DATE_PLACED');
          return placed !== null && stillOpen.includes(placed);
        });
        if (!carried) for (const entry of rows) flags.add('PlacedAdoption', entry.index);
      }
      return flags.result();
    },
  },
  {
    code: '561',
    message:
      'Date of the decision that the child should be placed for adoption this year is the same as that recorded last year but records show that the decision changed, and the child should no longer be placed for adoption last year.',
    fields: ['DATE_PLACED'],
    check: ({ current, previous }) => {
      if (!present(current, 'PlacedAdoption') || !present(previous, 'PlacedAdoption')) return {};
      const last = children(previous, 'PlacedAdoption');
      const flags = new Flags();
      for (const { row, index } of rowsOf(current, 'PlacedAdoption')) {
        const placed = date(row, 'DATE_PLACED');
        if (placed === null) continue;
        const ceasedLastYear = (last.get(code(row, 'CHILD')) ?? []).some(
          (entry) =>
            date(entry.row, 'DATE_PLACED') === placed &&
            (!isBlank(entry.row.DATE_PLACED_CEASED) || !isBlank(entry.row.REASON_PLACED_CEASED)),
        );
        if (ceasedLastYear) flags.add('PlacedAdoption', index);
      }
      return flags.result();
    },
  },
  {
    code: '563',
    message:
      'The child should no longer be placed for adoption but the date of the decision that the child should be placed for adoption is blank',
    fields: ['DATE_PLACED', 'REASON_PLACED_CEASED', 'DATE_PLACED_CEASED'],
    check: ({ current }) => {
      const flags = new Flags();
      for (const { row, index } of rowsOf(current, 'PlacedAdoption')) {
        const ceased = !isBlank(row.DATE_PLACED_CEASED) || !isBlank(row.REASON_PLACED_CEASED);
        if (ceased && isBlank(row.DATE_PLACED)) flags.add('PlacedAdoption', index);
      }
      return flags.result();
    },
  },
  {
    code: '579',
    message:
      'A new decision that the child should be placed for adoption this year cannot start when the previous decision is still open. Decisions to place the child for adoption should also not overlap. The date of any new decision to place the child for adoption must not be before the date placed ceased of previous decisions.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'],
    // Decisions are put in date order (rows without a valid date cannot be placed and are left
    // out); each later decision is flagged when the one before it is open or ceased after it began.
    check: ({ current }) => {
      const flags = new Flags();
      for (const rows of children(current, 'PlacedAdoption').values()) {
        const ordered = rows
          .map((entry) => ({ entry, placed: date(entry.row, 'DATE_PLACED') }))
          .filter((item): item is { entry: Entry; placed: string } => item.placed !== null)
          .sort((a, b) =>
            a.placed === b.placed ? a.entry.index - b.entry.index : a.placed < b.placed ? -1 : 1,
          );
        for (let i = 1; i < ordered.length; i += 1) {
          const before = ordered[i - 1]!;
          const next = ordered[i]!;
          const beforeCeased = date(before.entry.row, 'DATE_PLACED_CEASED');
          if (isOpen(before.entry.row) || (beforeCeased !== null && next.placed < beforeCeased)) {
            flags.add('PlacedAdoption', next.entry.index);
          }
        }
      }
      return flags.result();
    },
  },
  {
    code: '582',
    message:
      'Child is showing as ceasing to be looked after due to adoption, but the date of adoption is the same as the date reported for being matched with adopters. In most circumstances we expect the date the child is matched with adopters to be before the date of adoption.',
    fields: ['DEC', 'DATE_MATCH'],
    check: ({ current }) => {
      if (!present(current, 'Episodes', 'AD1')) return {};
      const ad1 = children(current, 'AD1');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        const matched = (ad1.get(child) ?? []).map((entry) => date(entry.row, 'DATE_MATCH'));
        for (const { row, index } of episodes) {
          const adopted = date(row, 'DEC');
          if (ADOPTED.includes(code(row, 'REC')) && adopted !== null && matched.includes(adopted)) {
            flags.add('Episodes', index);
          }
        }
      }
      return flags.result();
    },
  },
  {
    code: '583',
    message:
      'More than one date the child should be placed for adoption has been reported, but an earlier decision has not been revoked. Check that both dates are required and add in the date the earlier decision was revoked. Note this may be in a previous year.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'],
    // Only the latest decision (latest valid DATE_PLACED, the later row on a tie) may stay open;
    // every earlier open one is flagged. Rule 579 flags the later decision of the same pair.
    check: ({ current }) => {
      const flags = new Flags();
      for (const rows of children(current, 'PlacedAdoption').values()) {
        const dated = rows
          .map((entry) => ({ entry, placed: date(entry.row, 'DATE_PLACED') }))
          .filter((item): item is { entry: Entry; placed: string } => item.placed !== null);
        if (dated.length < 2) continue;
        let latest = dated[0]!;
        for (const item of dated) if (item.placed >= latest.placed) latest = item;
        for (const { entry } of dated) {
          if (entry !== latest.entry && isOpen(entry.row)) flags.add('PlacedAdoption', entry.index);
        }
      }
      return flags.result();
    },
  },
  {
    code: '584',
    message:
      'Date of decision that the child should be placed for adoption this year is different from that recorded last year, but the decision to placed the child for adoption changed and the child should no longer be placed for adoption.',
    fields: ['DATE_PLACED'],
    // After a decision that ceased (date or reason recorded last year), any decision reported this
    // year must be a new one: dated after it. A row with no valid date cannot show that.
    check: ({ current, previous }) => {
      if (!present(current, 'PlacedAdoption') || !present(previous, 'PlacedAdoption')) return {};
      const last = children(previous, 'PlacedAdoption');
      const flags = new Flags();
      for (const { row, index } of rowsOf(current, 'PlacedAdoption')) {
        const placed = date(row, 'DATE_PLACED');
        const notLater = (last.get(code(row, 'CHILD')) ?? []).some((entry) => {
          const ceasedLastYear =
            !isBlank(entry.row.DATE_PLACED_CEASED) || !isBlank(entry.row.REASON_PLACED_CEASED);
          const lastPlaced = date(entry.row, 'DATE_PLACED');
          return ceasedLastYear && lastPlaced !== null && (placed === null || placed <= lastPlaced);
        });
        if (notLater) flags.add('PlacedAdoption', index);
      }
      return flags.result();
    },
  },
  {
    code: '601',
    message:
      'The additional fields relating to adoption have not been completed although the episode data shows that the child was adopted during the year.',
    fields: ['REC', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'],
    // A child adopted during the year with no AD1 row at all has not had the fields completed
    // either, so their adoption episode is flagged too.
    check: (context) => {
      const { current } = context;
      if (!present(current, 'Episodes', 'AD1')) return {};
      const ad1 = children(current, 'AD1');
      const flags = new Flags();
      for (const [child, episodes] of children(current, 'Episodes')) {
        const adoptions = episodes.filter(
          (entry) =>
            ADOPTED.includes(code(entry.row, 'REC')) && inCollectionYear(date(entry.row, 'DEC'), context),
        );
        if (adoptions.length === 0) continue;
        const own = ad1.get(child) ?? [];
        const incomplete = own.filter((entry) => AD1_ITEMS.some((item) => isBlank(entry.row[item])));
        if (own.length > 0 && incomplete.length === 0) continue;
        for (const entry of adoptions) flags.add('Episodes', entry.index);
        for (const entry of incomplete) flags.add('AD1', entry.index);
      }
      return flags.result();
    },
  },
  {
    code: '602',
    message:
      'The episode data submitted for this child does not show that he/she was adopted during the year.',
    fields: ['CHILD'],
    // An AD1 row with any adoption item completed needs an episode ending in adoption (E11/E12)
    // within the collection year; an AD1 row with every item blank says nothing and passes.
    check: (context) => {
      const { current } = context;
      if (!present(current, 'Episodes', 'AD1')) return {};
      const adoptedThisYear = new Set<string>();
      for (const { row } of rowsOf(current, 'Episodes')) {
        if (ADOPTED.includes(code(row, 'REC')) && inCollectionYear(date(row, 'DEC'), context)) {
          adoptedThisYear.add(code(row, 'CHILD'));
        }
      }
      const flags = new Flags();
      for (const { row, index } of rowsOf(current, 'AD1')) {
        const completed = AD1_ITEMS.some((item) => !isBlank(row[item]));
        if (completed && !adoptedThisYear.has(code(row, 'CHILD'))) flags.add('AD1', index);
      }
      return flags.result();
    },
  },
  {
    code: 'INT01',
    message: 'Data Integrity Check: Child in AD1 does not exist in Header.',
    fields: ['CHILD'],
    check: notInHeader('AD1'),
  },
  {
    code: 'INT02',
    message: 'Internal Check: Child in PlacedAdoption does not exist in Header.',
    fields: ['CHILD'],
    check: notInHeader('PlacedAdoption'),
  },
  {
    code: 'INT11',
    message: 'Internal Check: DOB in AD1 is different to DOB in Header.',
    fields: ['DOB'],
    check: dobDiffersFromHeader('AD1'),
  },
  {
    code: 'INT12',
    message: 'Internal Check: DOB in PlacedAdoption is different to DOB in Header.',
    fields: ['DOB'],
    check: dobDiffersFromHeader('PlacedAdoption'),
  },
  {
    code: 'INT31',
    message: 'Internal Check: Child should only exist once in AD1.',
    fields: ['CHILD'],
    // Rows with no CHILD id are not "a child twice"; they are left to the completeness rules.
    check: ({ current }) => {
      const flags = new Flags();
      for (const rows of children(current, 'AD1').values()) {
        if (rows.length > 1) for (const entry of rows) flags.add('AD1', entry.index);
      }
      return flags.result();
    },
  },
];
