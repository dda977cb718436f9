// The first thirty adoption rules of shared/ssda903/adoption-rules-2025-26.tsv, in TSV order (the
// other thirty are in rules-b.ts). Each rule does what its DfE message says; where the message
// leaves a choice open (which of a child's episodes to compare), the choice is the DfE
// validator's and is written beside the rule. Messages are the TSV's word for word, including
// 187's, which the TSV cuts short. As in rules-b.ts, codes are read with `codeOf`, exactly as
// written ('l2' is not L2, 'E11 ' is not E11), and a row naming no child (`childKey`) is matched
// with no other row, in its own table or another (./helpers.ts gives the DfE reasons).
import type { Ssda903Row } from '../return.js';
import { AD1_ITEMS, ADOPTED, OC3_ITEMS, PLACED_FOR_ADOPTION, RESPITE } from './codes.js';
import {
  addYears,
  anyCompleted,
  byDate,
  childGroups,
  childKey,
  codeOf,
  consecutive,
  dateCell,
  entriesOf,
  FlagSet,
  hasTables,
  inDateOrder,
  isBlank,
  latest,
} from './helpers.js';
import {
  allOrNone,
  compareDatesByChild,
  dateAfter,
  eachChild,
  flagRows,
  flagRowsByChild,
  invalidDate,
  notInCodeList,
  perChild,
  whenCodeThen,
} from './patterns.js';
import type { Rule, RuleContext } from './rule.js';

/** An episode that starts a period of care (reason for new episode S). */
const startsCare = (row: Ssda903Row): boolean => codeOf(row, 'RNE') === 'S';
const endedInAdoption = (row: Ssda903Row): boolean => ADOPTED.includes(codeOf(row, 'REC'));

const rule1003: Rule = {
  code: '1003',
  message:
    "Date of LA's decision that a child should be placed for adoption is before the child started to be looked after.",
  fields: ['DATE_PLACED', 'DECOM', 'RNE'],
  // "Started to be looked after": the earliest episode that starts a period of care (RNE S).
  check: compareDatesByChild(
    { table: 'Episodes', column: 'DECOM', where: startsCare, pick: 'earliest' },
    { table: 'PlacedAdoption', column: 'DATE_PLACED' },
    (startedCare, decided) => decided < startedCare,
  ),
};

const rule112: Rule = {
  code: '112',
  message: 'Date should be placed for adoption is not a valid date.',
  fields: ['DATE_INT'],
  check: invalidDate('AD1', 'DATE_INT'),
};

const rule113: Rule = {
  code: '113',
  message: 'Date matching child and adopter(s) is not a valid date.',
  fields: ['DATE_MATCH'],
  check: invalidDate('AD1', 'DATE_MATCH'),
};

const rule114: Rule = {
  code: '114',
  message: 'Data entry to record the status of former carer(s) of an adopted child is invalid.',
  fields: ['FOSTER_CARE'],
  check: notInCodeList('AD1', 'FOSTER_CARE', ['0', '1']),
};

const rule115: Rule = {
  code: '115',
  message:
    "Date of Local Authority's (LA) decision that a child should be placed for adoption is not a valid date.",
  fields: ['DATE_PLACED'],
  check: invalidDate('PlacedAdoption', 'DATE_PLACED'),
};

const rule116: Rule = {
  code: '116',
  message:
    "Date of Local Authority's (LA) decision that a child should no longer be placed for adoption is not a valid date.",
  fields: ['DATE_PLACED_CEASED'],
  check: invalidDate('PlacedAdoption', 'DATE_PLACED_CEASED'),
};

const rule117: Rule = {
  code: '117',
  message:
    'Date of decision that a child should/should no longer be placed for adoption is beyond the current collection year or after the child ceased to be looked after.',
  fields: ['DATE_PLACED_CEASED', 'DATE_PLACED', 'DEC', 'REC', 'DECOM'],
  // "Ceased to be looked after": the end (DEC) of the child's latest episode that ended care
  // (REC other than X1), as the DfE validator reads it.
  check: perChild('Episodes', 'PlacedAdoption', (episodes, decisions, flags, { collectionEnd }) => {
    if (decisions.length === 0) return;
    const last = latest(
      episodes.filter((e) => codeOf(e.row, 'REC') !== 'X1'),
      'DECOM',
    );
    if (!last) return;
    const ceased = dateCell(last.entry.row, 'DEC');
    for (const decision of decisions) {
      const late = [dateCell(decision.row, 'DATE_PLACED'), dateCell(decision.row, 'DATE_PLACED_CEASED')].some(
        (d) => d !== null && (d > collectionEnd || (ceased !== null && d > ceased)),
      );
      if (late) flags.add('Episodes', last.entry.index).add('PlacedAdoption', decision.index);
    }
  }),
};

const rule118: Rule = {
  code: '118',
  message:
    'Date of decision that a child should no longer be placed for adoption is before the current collection year or before the date the child started to be looked after.',
  fields: ['DATE_PLACED_CEASED', 'DECOM', 'LS'],
  // "Started to be looked after": the earliest episode whose legal status is not a short-break
  // respite arrangement (LS V3/V4), which is not being looked after in the usual sense.
  check: compareDatesByChild(
    {
      table: 'Episodes',
      column: 'DECOM',
      where: (row) => !RESPITE.includes(codeOf(row, 'LS')),
      pick: 'earliest',
    },
    { table: 'PlacedAdoption', column: 'DATE_PLACED_CEASED' },
    (startedCare, ceased, { collectionStart }) => ceased < startedCare || ceased < collectionStart,
  ),
};

const rule119: Rule = {
  code: '119',
  message:
    'If the decision is made that a child should no longer be placed for adoption, then the date of this decision and the reason why this decision was made must be completed.',
  fields: ['REASON_PLACED_CEASED', 'DATE_PLACED_CEASED'],
  check: allOrNone('PlacedAdoption', ['DATE_PLACED_CEASED', 'REASON_PLACED_CEASED']),
};

const rule120: Rule = {
  code: '120',
  message:
    'The reason for the reversal of the decision that the child should be placed for adoption code is not valid.',
  fields: ['REASON_PLACED_CEASED'],
  check: notInCodeList('PlacedAdoption', 'REASON_PLACED_CEASED', ['RD1', 'RD2', 'RD3', 'RD4']),
};

const rule134: Rule = {
  code: '134',
  message: 'Data on adoption should not be entered for the OC3 cohort.',
  fields: ['IN_TOUCH', 'ACTIV', 'ACCOM', ...AD1_ITEMS],
  // A care leaver with any OC3 item completed cannot also have AD1 adoption data; the AD1 row is
  // the one reported.
  check: flagRowsByChild(
    'AD1',
    'OC3',
    (row, leaver) => anyCompleted(row, AD1_ITEMS) && leaver.some((e) => anyCompleted(e.row, OC3_ITEMS)),
  ),
};

const rule151: Rule = {
  code: '151',
  message: 'All data items relating to a childs adoption must be coded or left blank.',
  fields: AD1_ITEMS,
  check: allOrNone('AD1', AD1_ITEMS),
};

const rule175: Rule = {
  code: '175',
  message: 'The number of adopter(s) code is not a valid code.',
  fields: ['NB_ADOPTR'],
  check: notInCodeList('AD1', 'NB_ADOPTR', ['1', '2']),
};

const rule176: Rule = {
  code: '176',
  message: 'The gender of adopter(s) at the date of adoption code is not a valid code.',
  fields: ['SEX_ADOPTR'],
  check: notInCodeList('AD1', 'SEX_ADOPTR', ['M1', 'F1', 'MM', 'FF', 'MF']),
};

const rule177: Rule = {
  code: '177',
  message: 'The legal status of adopter(s) code is not a valid code.',
  fields: ['LS_ADOPTR'],
  check: notInCodeList('AD1', 'LS_ADOPTR', ['L0', 'L11', 'L12', 'L2', 'L3', 'L4']),
};

const rule184: Rule = {
  code: '184',
  message: 'Date of decision that a child should be placed for adoption is before the child was born.',
  fields: ['DATE_PLACED', 'DOB'],
  // Compared only when both dates are known: a missing or invalid date of birth is other rules'
  // finding, not evidence of a decision before birth.
  check: flagRowsByChild('PlacedAdoption', 'Header', (row, header) => {
    const placed = dateCell(row, 'DATE_PLACED');
    if (placed === null) return false;
    return header.some((e) => {
      const dob = dateCell(e.row, 'DOB');
      return dob !== null && placed < dob;
    });
  }),
};

/**
 * Children looked after continuously for the twelve months to 31 March (the OC2 cohort), as the
 * DfE guidance defines it: looked after at some point in the year, and no episode that starts a
 * period of care during the year (RNE S after 1 April), ends one (REC other than X1 before
 * 31 March) or is a short-break respite arrangement (LS V3/V4) in the year.
 */
export function continuouslyLookedAfter(context: RuleContext): Set<string> {
  const { collectionStart: start, collectionEnd: end } = context;
  const result = new Set<string>();
  for (const [child, episodes] of childGroups(context.current, 'Episodes')) {
    let inYear = false;
    let broken = false;
    for (const { row } of episodes) {
      const decom = dateCell(row, 'DECOM');
      const dec = dateCell(row, 'DEC');
      const duringYear =
        decom !== null && decom <= end && (isBlank(row.DEC) || (dec !== null && dec >= start));
      if (duringYear) inYear = true;
      const entersCare = startsCare(row) && decom !== null && decom > start && decom <= end;
      const leavesCare = codeOf(row, 'REC') !== 'X1' && dec !== null && dec >= start && dec < end;
      const respite = RESPITE.includes(codeOf(row, 'LS')) && duringYear;
      if (entersCare || leavesCare || respite) broken = true;
    }
    if (inYear && !broken) result.add(child);
  }
  return result;
}

const rule187: Rule = {
  code: '187',
  message: 'Child cannot be looked after continuously for 12 months at ',
  fields: [...AD1_ITEMS, ...OC3_ITEMS],
  check(context) {
    if (!hasTables(context.current, 'OC3', 'AD1', 'Episodes')) return {};
    const cohort = continuouslyLookedAfter(context);
    const flags = new FlagSet();
    for (const [table, items] of [
      ['AD1', AD1_ITEMS],
      ['OC3', OC3_ITEMS],
    ] as const) {
      for (const { row, index } of entriesOf(context.current, table)) {
        const child = childKey(row);
        if (child !== null && cohort.has(child) && anyCompleted(row, items)) flags.add(table, index);
      }
    }
    return flags.result();
  },
};

const rule199: Rule = {
  code: '199',
  message:
    'Episode information shows child has been previously adopted from care. [NOTE: This only tests the current and previous year data loaded into the tool]',
  fields: ['CHILD', 'DECOM', 'REC'],
  // In date order over last year's and this year's episodes, any episode after the child's first
  // adoption (REC E11/E12) is an error, including a second adoption. An episode of last year's
  // return that this year's repeats (same child and start date) is taken from this year's.
  check(context) {
    const previous = childGroups(context.previous, 'Episodes');
    return eachChild('Episodes', (episodes, flags, _context, child) => {
      const lastYears = previous.get(child) ?? [];
      // With no adoption in either year, no episode can come after one.
      if (!episodes.some((e) => endedInAdoption(e.row)) && !lastYears.some((e) => endedInAdoption(e.row)))
        return;
      const thisYear = inDateOrder(episodes, 'DECOM').map((e) => ({ ...e, thisYear: true }));
      const starts = new Set(thisYear.map((e) => e.date));
      const ordered = inDateOrder(lastYears, 'DECOM')
        .filter((e) => !starts.has(e.date))
        .map((e) => ({ ...e, thisYear: false }))
        .concat(thisYear)
        .sort(byDate);
      let adopted = false;
      for (const { entry, thisYear: current } of ordered) {
        if (adopted && current) flags.add('Episodes', entry.index);
        if (endedInAdoption(entry.row)) adopted = true;
      }
    })(context);
  },
};

const rule217: Rule = {
  code: '217',
  message:
    'Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a reason for new episode of S, T or U.',
  fields: ['PLACE', 'DECOM', 'RNE'],
  // Applies to episodes from 1 April 2015, when the rule came into the return.
  check: flagRows('Episodes', (row) => {
    const decom = dateCell(row, 'DECOM');
    return (
      ['A3', 'A5'].includes(codeOf(row, 'PLACE')) &&
      decom !== null &&
      decom >= '2015-04-01' &&
      !['S', 'T', 'U'].includes(codeOf(row, 'RNE'))
    );
  }),
};

const rule331: Rule = {
  code: '331',
  message:
    'Date of matching child and adopter(s) should be the same as, or prior to, the date of placement of adoption.',
  fields: ['DATE_MATCH', 'DECOM', 'REC'],
  // The placement for adoption is the episode that ended in adoption (REC E11/E12); it started on DECOM.
  check: compareDatesByChild(
    { table: 'Episodes', column: 'DECOM', where: endedInAdoption },
    { table: 'AD1', column: 'DATE_MATCH' },
    (placed, matched) => matched > placed,
  ),
};

const rule333: Rule = {
  code: '333',
  message:
    'Date should be placed for adoption must be on or prior to the date of matching child with adopter(s).',
  fields: ['DATE_INT', 'DATE_MATCH'],
  // A match needs an earlier (or same-day) decision that the child should be placed for adoption,
  // so a match date with no valid DATE_INT is flagged too.
  check: dateAfter('AD1', 'DATE_INT', 'DATE_MATCH', { earlierRequired: true }),
};

const rule334: Rule = {
  code: '334',
  message:
    'Date child started to be looked after in latest period of care must be on or prior to the date should be placed for adoption. ',
  fields: ['DATE_INT', 'DECOM', 'RNE'],
  // The latest period of care starts with the child's latest episode with RNE S.
  check: compareDatesByChild(
    { table: 'Episodes', column: 'DECOM', where: startsCare, pick: 'latest' },
    { table: 'AD1', column: 'DATE_INT' },
    (startedCare, decided) => decided < startedCare,
  ),
};

const rule335: Rule = {
  code: '335',
  message:
    'The current foster value (0) suggests that child is not adopted by current foster carer, but last placement is A2, A3, or A5. Or the current foster value (1) suggests that child is adopted by current foster carer, but last placement is A1, A4 or A6.',
  fields: ['PLACE', 'FOSTER_CARE'],
  // The last placement is the episode that ended in adoption (REC E11/E12, or E1 in older returns).
  check: perChild('Episodes', 'AD1', (episodes, adoptions, flags) => {
    for (const episode of episodes) {
      if (!['E1', 'E11', 'E12'].includes(codeOf(episode.row, 'REC'))) continue;
      const place = codeOf(episode.row, 'PLACE');
      for (const ad1 of adoptions) {
        const foster = codeOf(ad1.row, 'FOSTER_CARE');
        if (
          (['A2', 'A3', 'A5'].includes(place) && foster === '0') ||
          (['A1', 'A4', 'A6'].includes(place) && foster === '1')
        )
          flags.add('Episodes', episode.index).add('AD1', ad1.index);
      }
    }
  }),
};

/** Foster placements (U1–U6) and placements for adoption (A3–A6). */
const FOSTER_OR_ADOPTIVE = ['A3', 'A4', 'A5', 'A6', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6'];

const rule336: Rule = {
  code: '336',
  message: 'Child does not have a foster placement immediately prior to being placed for adoption.',
  fields: ['PLACE'],
  // A child placed for adoption with current foster carers (A3/A5) must come from a foster or
  // adoptive placement: the child's episode just before, in start-date order. The child's first
  // episode in the return has no "before" here and is not checked (it may be in last year's).
  check: eachChild('Episodes', (episodes, flags) => {
    for (const [before, here] of consecutive(inDateOrder(episodes, 'DECOM'))) {
      if (
        ['A3', 'A5'].includes(codeOf(here.entry.row, 'PLACE')) &&
        !FOSTER_OR_ADOPTIVE.includes(codeOf(before.entry.row, 'PLACE'))
      )
        flags.add('Episodes', here.entry.index);
    }
  }),
};

const rule386: Rule = {
  code: '386',
  message: 'Reason episode ceased is adopted but child has reached age 18.',
  fields: ['REC', 'DEC', 'DOB'],
  check: flagRowsByChild('Episodes', 'Header', (row, header) => {
    const ceased = dateCell(row, 'DEC');
    if (!endedInAdoption(row) || ceased === null) return false;
    const dob = header.map((e) => dateCell(e.row, 'DOB')).find((d) => d !== null);
    return dob !== undefined && dob !== null && ceased >= addYears(dob, 18);
  }),
};

const rule390: Rule = {
  code: '390',
  message: 'Reason episode ceased is adopted but child has not been previously placed for adoption.',
  fields: ['PLACE', 'REC'],
  // The episode that ends in adoption must be a placement for adoption (A3–A6).
  check: whenCodeThen(
    'Episodes',
    { column: 'REC', oneOf: ADOPTED },
    { column: 'PLACE', oneOf: PLACED_FOR_ADOPTION },
  ),
};

const rule408: Rule = {
  code: '408',
  message: 'Child is placed for adoption with a placement order, but no placement order has been recorded.',
  fields: ['PLACE', 'LS'],
  // A5/A6 are placements under a placement order, so the legal status must be E1.
  check: whenCodeThen('Episodes', { column: 'PLACE', oneOf: ['A5', 'A6'] }, { column: 'LS', oneOf: ['E1'] }),
};

const rule511: Rule = {
  code: '511',
  message:
    'If reporting that the number of person(s) adopting the looked after child is two adopters then the code should only be MM, FF or MF. MM = the adopting couple are both males; FF = the adopting couple are both females; MF = The adopting couple are male and female.',
  fields: ['NB_ADOPTR', 'SEX_ADOPTR'],
  // Flags two adopters recorded with a single adopter's gender (M1/F1); an invalid code is 176's.
  check: whenCodeThen(
    'AD1',
    { column: 'NB_ADOPTR', oneOf: ['2'] },
    { column: 'SEX_ADOPTR', noneOf: ['M1', 'F1'] },
  ),
};

const rule514: Rule = {
  code: '514',
  message:
    'Data entry on the legal status of adopters shows a single adopter but data entry for the numbers of adopters shows it as a couple.',
  fields: ['LS_ADOPTR', 'SEX_ADOPTR'],
  // A single adopter (L0) must have a single adopter's gender (M1/F1).
  check: whenCodeThen(
    'AD1',
    { column: 'LS_ADOPTR', oneOf: ['L0'] },
    { column: 'SEX_ADOPTR', oneOf: ['M1', 'F1'] },
  ),
};

const rule517: Rule = {
  code: '517',
  message:
    'If reporting legal status of adopters is L3 then the genders of adopters should be coded as MF. MF = the adopting couple are male and female.',
  fields: ['LS_ADOPTR', 'SEX_ADOPTR'],
  check: whenCodeThen('AD1', { column: 'LS_ADOPTR', oneOf: ['L3'] }, { column: 'SEX_ADOPTR', oneOf: ['MF'] }),
};

export const rulesA: Rule[] = [
  rule1003,
  rule112,
  rule113,
  rule114,
  rule115,
  rule116,
  rule117,
  rule118,
  rule119,
  rule120,
  rule134,
  rule151,
  rule175,
  rule176,
  rule177,
  rule184,
  rule187,
  rule199,
  rule217,
  rule331,
  rule333,
  rule334,
  rule335,
  rule336,
  rule386,
  rule390,
  rule408,
  rule511,
  rule514,
  rule517,
];
