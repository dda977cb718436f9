// The second thirty adoption rules of shared/ssda903/adoption-rules-2025-26.tsv, in TSV order
// (the first thirty are in rules-a.ts). Each rule follows the DfE message; where the message
// leaves a choice open (which of a child's several decisions or episodes to compare), the
// choice is written beside the rule. Messages are copied word for word from the TSV, including
// the two (553, 557) that the TSV cuts short. As in rules-a.ts, codes are read with `codeOf`,
// exactly as written ('L4 ' is not L4: rule 177 reports it as invalid), and a row naming no child
// (`childKey`) is matched with no other row, in its own table or another (./helpers.ts).
import type { Ssda903Row } from '../return.js';
import { AD1_ITEMS, ADOPTED, PLACED_FOR_ADOPTION } from './codes.js';
import { anyCompleted, codeOf, consecutive, dateCell, inDateOrder, isBlank, latest } from './helpers.js';
import type { Entry } from './helpers.js';
import {
  compareDatesByChild,
  dateAfter,
  eachChild,
  flagRows,
  flagRowsByChild,
  lastYear,
  perChild,
  whenCodeThen,
} from './patterns.js';
import type { Rule, RuleContext } from './rule.js';

/** A decision that is still open: no date that the child should no longer be placed for adoption. */
function isOpen(row: Ssda903Row): boolean {
  return isBlank(row.DATE_PLACED_CEASED);
}

/** A decision recorded as ceased: the date or the reason it ceased is completed. */
function hasCeased(row: Ssda903Row): boolean {
  return anyCompleted(row, ['DATE_PLACED_CEASED', 'REASON_PLACED_CEASED']);
}

const placedForAdoption = (row: Ssda903Row): boolean => PLACED_FOR_ADOPTION.includes(codeOf(row, 'PLACE'));
const placementOrder = (row: Ssda903Row): boolean => codeOf(row, 'LS') === 'E1';

/** The child's latest episode: latest valid DECOM, later rows winning ties; else the last row. */
function latestEpisode(episodes: readonly Entry[]): Entry | undefined {
  return latest(episodes, 'DECOM', 'last')?.entry ?? episodes[episodes.length - 1];
}

/** An episode that ended in adoption within the collection year. */
function adoptedDuringYear(row: Ssda903Row, context: RuleContext): boolean {
  const adopted = dateCell(row, 'DEC');
  return (
    ADOPTED.includes(codeOf(row, 'REC')) &&
    adopted !== null &&
    adopted >= context.collectionStart &&
    adopted <= context.collectionEnd
  );
}

/** "If reporting legal status of adopters is `status`, the genders of adopters should be one of `allowed`." */
function adopterGenders(status: string, allowed: readonly string[]): Rule['check'] {
  return whenCodeThen(
    'AD1',
    { column: 'LS_ADOPTR', oneOf: [status] },
    { column: 'SEX_ADOPTR', oneOf: allowed },
  );
}

/** Rows of `table` whose CHILD does not appear in Header (INT01, INT02). */
function notInHeader(table: 'AD1' | 'PlacedAdoption'): Rule['check'] {
  return flagRowsByChild(table, 'Header', (_row, header) => header.length === 0);
}

/**
 * Rows of `table` whose DOB differs from the child's DOB in Header (INT11, INT12). Only valid
 * dates are compared (a bad or blank date is another rule's finding), and a DOB that matches any
 * of the child's Header rows passes (duplicate Header rows are reported elsewhere).
 */
function dobDiffersFromHeader(table: 'AD1' | 'PlacedAdoption'): Rule['check'] {
  return flagRowsByChild(table, 'Header', (row, header) => {
    const dob = dateCell(row, 'DOB');
    if (dob === null) return false;
    const headerDobs = header.map((entry) => dateCell(entry.row, 'DOB')).filter((value) => value !== null);
    return headerDobs.length > 0 && !headerDobs.includes(dob);
  });
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
    check: whenCodeThen(
      'AD1',
      { column: 'LS_ADOPTR', oneOf: ['L11'] },
      { column: 'SEX_ADOPTR', noneOf: ['MM', 'FF'] },
    ),
  },
  {
    code: '521',
    message:
      "Date of local authority's decision (LA) that adoption is in the best interests of the child (date should be placed) must be on or prior to the date the child is placed for adoption.",
    fields: ['PLACE', 'DECOM', 'DATE_INT'],
    // Every placed-for-adoption episode that starts before AD1's "date should be placed" is flagged,
    // with the AD1 row.
    check: compareDatesByChild(
      { table: 'Episodes', column: 'DECOM', where: placedForAdoption },
      { table: 'AD1', column: 'DATE_INT' },
      (placed, shouldBePlaced) => placed < shouldBePlaced,
    ),
  },
  {
    code: '522',
    message:
      'Date of decision that the child should be placed for adoption must be on or before the date that a child should no longer be placed for adoption.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'],
    check: dateAfter('PlacedAdoption', 'DATE_PLACED', 'DATE_PLACED_CEASED'),
  },
  {
    code: '523',
    message:
      'Date of decision that the child should be placed for adoption should be the same date as the decision that adoption is in the best interest (date should be placed).',
    fields: ['DATE_PLACED', 'DATE_INT'],
    // A child may have had an earlier decision reversed, so the AD1 date passes when it matches any
    // of the child's decisions; when none matches, the AD1 row and every dated decision are flagged.
    check: perChild('AD1', 'PlacedAdoption', (adoptions, decisions, flags) => {
      const dated = inDateOrder(decisions, 'DATE_PLACED');
      if (dated.length === 0) return;
      for (const adoption of adoptions) {
        const shouldBePlaced = dateCell(adoption.row, 'DATE_INT');
        if (shouldBePlaced === null || dated.some(({ date }) => date === shouldBePlaced)) continue;
        flags.add('AD1', adoption.index);
        for (const { entry } of dated) flags.add('PlacedAdoption', entry.index);
      }
    }),
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
    check: perChild('PlacedAdoption', 'AD1', (decisions, adoptions, flags) => {
      if (decisions.some((entry) => isOpen(entry.row))) return;
      const completed = adoptions.filter((entry) => anyCompleted(entry.row, AD1_ITEMS));
      if (completed.length === 0) return;
      flags.addAll('PlacedAdoption', decisions).addAll('AD1', completed);
    }),
  },
  {
    code: '529',
    message:
      'Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these placements cannot be provided by other public organisations.',
    fields: ['PLACE', 'PLACE_PROVIDER'],
    check: whenCodeThen(
      'Episodes',
      { column: 'PLACE_PROVIDER', oneOf: ['PR3'] },
      {
        column: 'PLACE',
        noneOf: ['P1', 'A3', 'A4', 'A5', 'A6', 'K1', 'K2', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6'],
      },
    ),
  },
  {
    code: '551',
    message:
      'Child has been placed for adoption but there is no date of the decision that the child should be placed for adoption.',
    fields: ['DATE_PLACED', 'PLACE'],
    // Any completed decision date counts (a malformed one is reported by the date rules).
    check: perChild('Episodes', 'PlacedAdoption', (episodes, decisions, flags) => {
      if (decisions.some((entry) => !isBlank(entry.row.DATE_PLACED))) return;
      flags.addAll(
        'Episodes',
        episodes.filter((entry) => placedForAdoption(entry.row)),
      );
    }),
  },
  {
    code: '552',
    message:
      'Date of Decision to place a child for adoption should be on or prior to the date that the child was placed for adoption.',
    fields: ['DATE_PLACED', 'DECOM'],
    // The child's first placed-for-adoption episode must not start before their earliest decision;
    // later decisions (after a reversed one) are not compared with earlier placements.
    check: compareDatesByChild(
      { table: 'Episodes', column: 'DECOM', where: placedForAdoption, pick: 'earliest' },
      { table: 'PlacedAdoption', column: 'DATE_PLACED', pick: 'earliest' },
      (placed, decided) => decided > placed,
    ),
  },
  {
    code: '553',
    message: 'Placement order has been granted but there is no date of decision that the child should ',
    fields: ['CHILD', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'],
    // Flags placement-order (LS E1) episodes of a child with no completed decision date, with any
    // undated decision rows; and, while a placement order episode is still open, the child's
    // decisions when every one of them has ceased (no decision is in force).
    check: perChild('Episodes', 'PlacedAdoption', (episodes, decisions, flags) => {
      const orders = episodes.filter((entry) => placementOrder(entry.row));
      if (orders.length === 0) return;
      if (!decisions.some((entry) => !isBlank(entry.row.DATE_PLACED))) {
        flags.addAll('Episodes', orders).addAll('PlacedAdoption', decisions);
      } else if (
        orders.some((entry) => isBlank(entry.row.DEC)) &&
        !decisions.some((entry) => isOpen(entry.row))
      ) {
        flags.addAll('PlacedAdoption', decisions);
      }
    }),
  },
  {
    code: '554',
    message:
      'Date of decision that the child should be placed for adoption should be on or prior to the date that the placement order was granted. [NOTE: This rule may result in false positives or false negatives if relevant episodes are in previous years; please check carefully!]',
    fields: ['DATE_PLACED', 'DECOM', 'LS'],
    // The placement order is taken as granted at the start of the child's first LS E1 episode and
    // compared with the child's earliest decision.
    check: compareDatesByChild(
      { table: 'Episodes', column: 'DECOM', where: placementOrder, pick: 'earliest' },
      { table: 'PlacedAdoption', column: 'DATE_PLACED', pick: 'earliest' },
      (ordered, decided) => decided > ordered,
    ),
  },
  {
    code: '557',
    message: 'Child for whom the decision was made that they should be placed for adoption has left care ',
    fields: ['DATE_PLACED_CEASED', 'REASON_PLACED_CEASED', 'PLACE', 'LS', 'REC'],
    // "Left care but was not adopted": the child's latest episode has ended for a reason other
    // than adoption (REC neither blank, X1 nor E11/E12). A decision is shown by a PlacedAdoption
    // row, or by a placed-for-adoption or placement-order episode. Flags that latest episode and
    // every decision lacking the date or the reason it ceased.
    check: perChild('Episodes', 'PlacedAdoption', (episodes, decisions, flags) => {
      const last = latestEpisode(episodes);
      const reason = last ? codeOf(last.row, 'REC') : '';
      if (!last || reason === '' || reason === 'X1' || ADOPTED.includes(reason)) return;
      const adoptionEpisodes = episodes.some(
        (entry) => placedForAdoption(entry.row) || placementOrder(entry.row),
      );
      if (decisions.length === 0 && !adoptionEpisodes) return;
      const incomplete = decisions.filter(
        (entry) => isBlank(entry.row.DATE_PLACED_CEASED) || isBlank(entry.row.REASON_PLACED_CEASED),
      );
      if (decisions.length > 0 && incomplete.length === 0) return;
      flags.add('Episodes', last.index).addAll('PlacedAdoption', incomplete);
    }),
  },
  {
    code: '558',
    message:
      'If a child has been adopted, then the decision to place them for adoption has not been disrupted and the date of the decision that a child should no longer be placed for adoption should be left blank.',
    fields: ['DATE_PLACED_CEASED', 'REC'],
    // As the DfE specification has it: for an adopted child with more than one decision, the
    // decision under which they were adopted must still be open. A single ceased decision for an
    // adopted child is rule 525's finding, not this one's.
    check: perChild('Episodes', 'PlacedAdoption', (episodes, decisions, flags) => {
      if (decisions.length < 2 || decisions.some((entry) => isOpen(entry.row))) return;
      flags.addAll(
        'Episodes',
        episodes.filter((entry) => ADOPTED.includes(codeOf(entry.row, 'REC'))),
      );
    }),
  },
  {
    code: '559',
    message:
      'Date of decision that a child should be placed for adoption was not in the current year but the date of the decision that the child should be placed for adoption was not completed in a previous return.',
    fields: ['DATE_PLACED'],
    // Needs last year's return; a child absent from last year's PlacedAdoption counts as not completed.
    check: flagRowsByChild('PlacedAdoption', lastYear('PlacedAdoption'), (row, last, { collectionStart }) => {
      const placed = dateCell(row, 'DATE_PLACED');
      if (placed === null || placed >= collectionStart) return false;
      return !last.some((entry) => !isBlank(entry.row.DATE_PLACED));
    }),
  },
  {
    code: '560',
    message:
      'Date of decision that the child should be placed for adoption this year is different from that recorded last year but the decision to place the child for adoption did not change.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'],
    // A decision still open at the end of last year must reappear this year with the same date;
    // when none of the child's rows this year carries it, all of them are flagged.
    check: perChild('PlacedAdoption', lastYear('PlacedAdoption'), (rows, last, flags) => {
      const stillOpen = last
        .filter((entry) => isOpen(entry.row))
        .map((entry) => dateCell(entry.row, 'DATE_PLACED'))
        .filter((value) => value !== null);
      if (stillOpen.length === 0) return;
      const carried = rows.some((entry) => {
        const placed = dateCell(entry.row, 'DATE_PLACED');
        return placed !== null && stillOpen.includes(placed);
      });
      if (!carried) flags.addAll('PlacedAdoption', rows);
    }),
  },
  {
    code: '561',
    message:
      'Date of the decision that the child should be placed for adoption this year is the same as that recorded last year but records show that the decision changed, and the child should no longer be placed for adoption last year.',
    fields: ['DATE_PLACED'],
    check: flagRowsByChild('PlacedAdoption', lastYear('PlacedAdoption'), (row, last) => {
      const placed = dateCell(row, 'DATE_PLACED');
      if (placed === null) return false;
      return last.some((entry) => dateCell(entry.row, 'DATE_PLACED') === placed && hasCeased(entry.row));
    }),
  },
  {
    code: '563',
    message:
      'The child should no longer be placed for adoption but the date of the decision that the child should be placed for adoption is blank',
    fields: ['DATE_PLACED', 'REASON_PLACED_CEASED', 'DATE_PLACED_CEASED'],
    check: flagRows('PlacedAdoption', (row) => hasCeased(row) && isBlank(row.DATE_PLACED)),
  },
  {
    code: '579',
    message:
      'A new decision that the child should be placed for adoption this year cannot start when the previous decision is still open. Decisions to place the child for adoption should also not overlap. The date of any new decision to place the child for adoption must not be before the date placed ceased of previous decisions.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'],
    // Decisions are put in date order (rows without a valid date cannot be placed and are left
    // out); each later decision is flagged when the one before it is open or ceased after it began.
    check: eachChild('PlacedAdoption', (rows, flags) => {
      for (const [before, next] of consecutive(inDateOrder(rows, 'DATE_PLACED'))) {
        const beforeCeased = dateCell(before.entry.row, 'DATE_PLACED_CEASED');
        if (isOpen(before.entry.row) || (beforeCeased !== null && next.date < beforeCeased))
          flags.add('PlacedAdoption', next.entry.index);
      }
    }),
  },
  {
    code: '582',
    message:
      'Child is showing as ceasing to be looked after due to adoption, but the date of adoption is the same as the date reported for being matched with adopters. In most circumstances we expect the date the child is matched with adopters to be before the date of adoption.',
    fields: ['DEC', 'DATE_MATCH'],
    check: flagRowsByChild('Episodes', 'AD1', (row, ad1) => {
      const adopted = dateCell(row, 'DEC');
      return (
        ADOPTED.includes(codeOf(row, 'REC')) &&
        adopted !== null &&
        ad1.some((entry) => dateCell(entry.row, 'DATE_MATCH') === adopted)
      );
    }),
  },
  {
    code: '583',
    message:
      'More than one date the child should be placed for adoption has been reported, but an earlier decision has not been revoked. Check that both dates are required and add in the date the earlier decision was revoked. Note this may be in a previous year.',
    fields: ['DATE_PLACED', 'DATE_PLACED_CEASED'],
    // Only the latest decision (latest valid DATE_PLACED, the later row on a tie) may stay open;
    // every earlier open one is flagged. Rule 579 flags the later decision of the same pair.
    check: eachChild('PlacedAdoption', (rows, flags) => {
      const dated = rows.filter((entry) => dateCell(entry.row, 'DATE_PLACED') !== null);
      if (dated.length < 2) return;
      const last = latest(dated, 'DATE_PLACED', 'last')?.entry;
      flags.addAll(
        'PlacedAdoption',
        dated.filter((entry) => entry !== last && isOpen(entry.row)),
      );
    }),
  },
  {
    code: '584',
    message:
      'Date of decision that the child should be placed for adoption this year is different from that recorded last year, but the decision to placed the child for adoption changed and the child should no longer be placed for adoption.',
    fields: ['DATE_PLACED'],
    // After a decision that ceased (date or reason recorded last year), any decision reported this
    // year must be a new one: dated after it. A row with no valid date cannot show that.
    check: flagRowsByChild('PlacedAdoption', lastYear('PlacedAdoption'), (row, last) => {
      const placed = dateCell(row, 'DATE_PLACED');
      return last.some((entry) => {
        const lastPlaced = dateCell(entry.row, 'DATE_PLACED');
        return hasCeased(entry.row) && lastPlaced !== null && (placed === null || placed <= lastPlaced);
      });
    }),
  },
  {
    code: '601',
    message:
      'The additional fields relating to adoption have not been completed although the episode data shows that the child was adopted during the year.',
    fields: ['REC', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'],
    // A child adopted during the year with no AD1 row at all has not had the fields completed
    // either, so their adoption episode is flagged too.
    check: perChild('Episodes', 'AD1', (episodes, ad1, flags, context) => {
      const adoptions = episodes.filter((entry) => adoptedDuringYear(entry.row, context));
      if (adoptions.length === 0) return;
      const incomplete = ad1.filter((entry) => AD1_ITEMS.some((item) => isBlank(entry.row[item])));
      if (ad1.length > 0 && incomplete.length === 0) return;
      flags.addAll('Episodes', adoptions).addAll('AD1', incomplete);
    }),
  },
  {
    code: '602',
    message:
      'The episode data submitted for this child does not show that he/she was adopted during the year.',
    fields: ['CHILD'],
    // An AD1 row with any adoption item completed needs an episode ending in adoption (E11/E12)
    // within the collection year; an AD1 row with every item blank says nothing and passes. An AD1
    // row naming no child has no episodes, so with any item completed it is flagged.
    check: flagRowsByChild(
      'AD1',
      'Episodes',
      (row, episodes, context) =>
        anyCompleted(row, AD1_ITEMS) && !episodes.some((entry) => adoptedDuringYear(entry.row, context)),
    ),
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
    // Rows naming no child are not "a child twice" (pandas' groupby drops them too).
    check: eachChild('AD1', (rows, flags) => {
      if (rows.length > 1) flags.addAll('AD1', rows);
    }),
  },
];
