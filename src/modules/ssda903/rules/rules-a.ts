// The first thirty adoption rules of shared/ssda903/adoption-rules-2025-26.tsv, in TSV order (the
// other thirty are in rules-b.ts). Each rule does what its DfE message says; where the message
// leaves a choice open (which of a child's episodes to compare), the choice is the DfE
// validator's and is written beside the rule. Messages are the TSV's word for word, including
// 187's, which the TSV cuts short. Codes are compared exactly as written ('l2' is not 'L2').
import type { Ssda903Row, TableName } from '../return.js';
import { addYears, byChild, flag, isBlank, parseReturnDate, rowsOf, tidyFlags } from './helpers.js';
import type { Rule, RuleContext } from './rule.js';

type Entry = { row: Ssda903Row; index: number };
type Flags = Partial<Record<TableName, number[]>>;

/** Episodes.REC codes for a child who stopped being looked after because they were adopted. */
const ADOPTED = ['E11', 'E12'];
/** The six AD1 items about a child's adoption. */
const AD1_ITEMS = ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'];
/** The OC3 (care leavers) items. */
const OC3_ITEMS = ['IN_TOUCH', 'ACTIV', 'ACCOM'];

function value(row: Ssda903Row, column: string): string {
  return row[column] ?? '';
}

function date(row: Ssda903Row, column: string): string | null {
  return parseReturnDate(row[column]);
}

function has(context: RuleContext, ...tables: TableName[]): boolean {
  // A rule that needs a table the return lacks stays silent, as the DfE validator does.
  return tables.every((table) => context.current.tables[table] !== undefined);
}

/** The entry with the earliest (or latest) valid date in `column`; the first such on a tie. */
function extreme(
  entries: Entry[],
  column: string,
  which: 'earliest' | 'latest',
): { entry: Entry; date: string } | null {
  let best: { entry: Entry; date: string } | null = null;
  for (const entry of entries) {
    const d = date(entry.row, column);
    if (d === null) continue;
    if (!best || (which === 'earliest' ? d < best.date : d > best.date)) best = { entry, date: d };
  }
  return best;
}

/** A date field of one table that must be a valid dd/mm/yyyy date when completed (112, 113, 115, 116). */
function validDateRule(code: string, message: string, table: TableName, column: string): Rule {
  return {
    code,
    message,
    fields: [column],
    check(context) {
      const flags: Flags = {};
      for (const { row, index } of rowsOf(context.current, table)) {
        if (!isBlank(row[column]) && date(row, column) === null) flag(flags, table, index);
      }
      return flags;
    },
  };
}

/** A coded field that must be blank or one of `codes` (114, 120, 175, 176, 177). */
function codeListRule(
  code: string,
  message: string,
  table: TableName,
  column: string,
  codes: string[],
): Rule {
  return {
    code,
    message,
    fields: [column],
    check(context) {
      const flags: Flags = {};
      for (const { row, index } of rowsOf(context.current, table)) {
        if (!isBlank(row[column]) && !codes.includes(value(row, column))) flag(flags, table, index);
      }
      return flags;
    },
  };
}

/** Per child in the Episodes table, the child's episodes and PlacedAdoption rows. */
function withDecisions(context: RuleContext): Array<{ episodes: Entry[]; decisions: Entry[] }> {
  const decisions = byChild(context.current, 'PlacedAdoption');
  return [...byChild(context.current, 'Episodes')].map(([child, episodes]) => ({
    episodes,
    decisions: decisions.get(child) ?? [],
  }));
}

const rule1003: Rule = {
  code: '1003',
  message:
    "Date of LA's decision that a child should be placed for adoption is before the child started to be looked after.",
  fields: ['DATE_PLACED', 'DECOM', 'RNE'],
  // "Started to be looked after": the earliest episode that starts a period of care (RNE S).
  check(context) {
    if (!has(context, 'Episodes', 'PlacedAdoption')) return {};
    const flags: Flags = {};
    for (const { episodes, decisions } of withDecisions(context)) {
      const first = extreme(
        episodes.filter((e) => value(e.row, 'RNE') === 'S'),
        'DECOM',
        'earliest',
      );
      if (!first) continue;
      for (const decision of decisions) {
        const placed = date(decision.row, 'DATE_PLACED');
        if (placed !== null && placed < first.date) {
          flag(flags, 'Episodes', first.entry.index);
          flag(flags, 'PlacedAdoption', decision.index);
        }
      }
    }
    return tidyFlags(flags);
  },
};

const rule112 = validDateRule(
  '112',
  'Date should be placed for adoption is not a valid date.',
  'AD1',
  'DATE_INT',
);
const rule113 = validDateRule(
  '113',
  'Date matching child and adopter(s) is not a valid date.',
  'AD1',
  'DATE_MATCH',
);
const rule114 = codeListRule(
  '114',
  'Data entry to record the status of former carer(s) of an adopted child is invalid.',
  'AD1',
  'FOSTER_CARE',
  ['0', '1'],
);
const rule115 = validDateRule(
  '115',
  "Date of Local Authority's (LA) decision that a child should be placed for adoption is not a valid date.",
  'PlacedAdoption',
  'DATE_PLACED',
);
const rule116 = validDateRule(
  '116',
  "Date of Local Authority's (LA) decision that a child should no longer be placed for adoption is not a valid date.",
  'PlacedAdoption',
  'DATE_PLACED_CEASED',
);

const rule117: Rule = {
  code: '117',
  message:
    'Date of decision that a child should/should no longer be placed for adoption is beyond the current collection year or after the child ceased to be looked after.',
  fields: ['DATE_PLACED_CEASED', 'DATE_PLACED', 'DEC', 'REC', 'DECOM'],
  // "Ceased to be looked after": the end (DEC) of the child's latest episode that ended care
  // (REC other than X1), as the DfE validator reads it.
  check(context) {
    if (!has(context, 'Episodes', 'PlacedAdoption')) return {};
    const flags: Flags = {};
    const end = context.collectionEnd;
    for (const { episodes, decisions } of withDecisions(context)) {
      const last = extreme(
        episodes.filter((e) => value(e.row, 'REC') !== 'X1'),
        'DECOM',
        'latest',
      );
      if (!last) continue;
      const ceased = date(last.entry.row, 'DEC');
      for (const decision of decisions) {
        const late = [date(decision.row, 'DATE_PLACED'), date(decision.row, 'DATE_PLACED_CEASED')].some(
          (d) => d !== null && (d > end || (ceased !== null && d > ceased)),
        );
        if (late) {
          flag(flags, 'Episodes', last.entry.index);
          flag(flags, 'PlacedAdoption', decision.index);
        }
      }
    }
    return tidyFlags(flags);
  },
};

const rule118: Rule = {
  code: '118',
  message:
    'Date of decision that a child should no longer be placed for adoption is before the current collection year or before the date the child started to be looked after.',
  fields: ['DATE_PLACED_CEASED', 'DECOM', 'LS'],
  // "Started to be looked after": the earliest episode whose legal status is not a short-break
  // respite arrangement (LS V3/V4), which is not being looked after in the usual sense.
  check(context) {
    if (!has(context, 'Episodes', 'PlacedAdoption')) return {};
    const flags: Flags = {};
    for (const { episodes, decisions } of withDecisions(context)) {
      const first = extreme(
        episodes.filter((e) => !['V3', 'V4'].includes(value(e.row, 'LS'))),
        'DECOM',
        'earliest',
      );
      if (!first) continue;
      for (const decision of decisions) {
        const ceased = date(decision.row, 'DATE_PLACED_CEASED');
        if (ceased !== null && (ceased < first.date || ceased < context.collectionStart)) {
          flag(flags, 'Episodes', first.entry.index);
          flag(flags, 'PlacedAdoption', decision.index);
        }
      }
    }
    return tidyFlags(flags);
  },
};

const rule119: Rule = {
  code: '119',
  message:
    'If the decision is made that a child should no longer be placed for adoption, then the date of this decision and the reason why this decision was made must be completed.',
  fields: ['REASON_PLACED_CEASED', 'DATE_PLACED_CEASED'],
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'PlacedAdoption')) {
      if (isBlank(row.DATE_PLACED_CEASED) !== isBlank(row.REASON_PLACED_CEASED))
        flag(flags, 'PlacedAdoption', index);
    }
    return flags;
  },
};

const rule120 = codeListRule(
  '120',
  'The reason for the reversal of the decision that the child should be placed for adoption code is not valid.',
  'PlacedAdoption',
  'REASON_PLACED_CEASED',
  ['RD1', 'RD2', 'RD3', 'RD4'],
);

const rule134: Rule = {
  code: '134',
  message: 'Data on adoption should not be entered for the OC3 cohort.',
  fields: ['IN_TOUCH', 'ACTIV', 'ACCOM', ...AD1_ITEMS],
  // A care leaver with any OC3 item completed cannot also have AD1 adoption data; the AD1 row is
  // the one reported.
  check(context) {
    if (!has(context, 'OC3', 'AD1')) return {};
    const leavers = new Set<string>();
    for (const [child, rows] of byChild(context.current, 'OC3')) {
      if (rows.some(({ row }) => OC3_ITEMS.some((c) => !isBlank(row[c])))) leavers.add(child);
    }
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'AD1')) {
      if (leavers.has(value(row, 'CHILD').trim()) && AD1_ITEMS.some((c) => !isBlank(row[c])))
        flag(flags, 'AD1', index);
    }
    return flags;
  },
};

const rule151: Rule = {
  code: '151',
  message: 'All data items relating to a childs adoption must be coded or left blank.',
  fields: AD1_ITEMS,
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'AD1')) {
      const completed = AD1_ITEMS.filter((c) => !isBlank(row[c])).length;
      if (completed > 0 && completed < AD1_ITEMS.length) flag(flags, 'AD1', index);
    }
    return flags;
  },
};

const rule175 = codeListRule(
  '175',
  'The number of adopter(s) code is not a valid code.',
  'AD1',
  'NB_ADOPTR',
  ['1', '2'],
);
const rule176 = codeListRule(
  '176',
  'The gender of adopter(s) at the date of adoption code is not a valid code.',
  'AD1',
  'SEX_ADOPTR',
  ['M1', 'F1', 'MM', 'FF', 'MF'],
);
const rule177 = codeListRule(
  '177',
  'The legal status of adopter(s) code is not a valid code.',
  'AD1',
  'LS_ADOPTR',
  ['L0', 'L11', 'L12', 'L2', 'L3', 'L4'],
);

const rule184: Rule = {
  code: '184',
  message: 'Date of decision that a child should be placed for adoption is before the child was born.',
  fields: ['DATE_PLACED', 'DOB'],
  // Compared only when both dates are known: a missing or invalid date of birth is other rules'
  // finding, not evidence of a decision before birth.
  check(context) {
    if (!has(context, 'Header', 'PlacedAdoption')) return {};
    const births = new Map<string, string[]>();
    for (const [child, rows] of byChild(context.current, 'Header')) {
      births.set(
        child,
        rows.map(({ row }) => date(row, 'DOB')).filter((d): d is string => d !== null),
      );
    }
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'PlacedAdoption')) {
      const placed = date(row, 'DATE_PLACED');
      if (placed === null) continue;
      const dobs = births.get(value(row, 'CHILD').trim()) ?? [];
      if (dobs.some((dob) => placed < dob)) flag(flags, 'PlacedAdoption', index);
    }
    return flags;
  },
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
  for (const [child, episodes] of byChild(context.current, 'Episodes')) {
    let inYear = false;
    let broken = false;
    for (const { row } of episodes) {
      const decom = date(row, 'DECOM');
      const dec = date(row, 'DEC');
      const duringYear =
        decom !== null && decom <= end && (isBlank(row.DEC) || (dec !== null && dec >= start));
      if (duringYear) inYear = true;
      const entersCare = value(row, 'RNE') === 'S' && decom !== null && decom > start && decom <= end;
      const leavesCare = value(row, 'REC') !== 'X1' && dec !== null && dec >= start && dec < end;
      const respite = ['V3', 'V4'].includes(value(row, 'LS')) && duringYear;
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
    if (!has(context, 'OC3', 'AD1', 'Episodes')) return {};
    const cohort = continuouslyLookedAfter(context);
    const flags: Flags = {};
    const tables: Array<[TableName, string[]]> = [
      ['AD1', AD1_ITEMS],
      ['OC3', OC3_ITEMS],
    ];
    for (const [table, items] of tables) {
      for (const { row, index } of rowsOf(context.current, table)) {
        if (cohort.has(value(row, 'CHILD').trim()) && items.some((c) => !isBlank(row[c])))
          flag(flags, table, index);
      }
    }
    return flags;
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
    if (!has(context, 'Episodes')) return {};
    const previous = byChild(context.previous, 'Episodes');
    const flags: Flags = {};
    for (const [child, episodes] of byChild(context.current, 'Episodes')) {
      const current = episodes
        .map((e) => ({
          current: e.index as number | null,
          decom: date(e.row, 'DECOM'),
          rec: value(e.row, 'REC'),
        }))
        .filter((e): e is { current: number | null; decom: string; rec: string } => e.decom !== null);
      const starts = new Set(current.map((e) => e.decom));
      const earlier = (previous.get(child) ?? [])
        .map((e) => ({ current: null, decom: date(e.row, 'DECOM'), rec: value(e.row, 'REC') }))
        .filter(
          (e): e is { current: null; decom: string; rec: string } => e.decom !== null && !starts.has(e.decom),
        );
      const ordered = [...earlier, ...current].sort((a, b) =>
        a.decom < b.decom ? -1 : a.decom > b.decom ? 1 : 0,
      );
      let adopted = false;
      for (const episode of ordered) {
        if (adopted && episode.current !== null) flag(flags, 'Episodes', episode.current);
        if (ADOPTED.includes(episode.rec)) adopted = true;
      }
    }
    return tidyFlags(flags);
  },
};

const rule217: Rule = {
  code: '217',
  message:
    'Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a reason for new episode of S, T or U.',
  fields: ['PLACE', 'DECOM', 'RNE'],
  // Applies to episodes from 1 April 2015, when the rule came into the return.
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'Episodes')) {
      const decom = date(row, 'DECOM');
      if (
        ['A3', 'A5'].includes(value(row, 'PLACE')) &&
        decom !== null &&
        decom >= '2015-04-01' &&
        !['S', 'T', 'U'].includes(value(row, 'RNE'))
      ) {
        flag(flags, 'Episodes', index);
      }
    }
    return flags;
  },
};

const rule331: Rule = {
  code: '331',
  message:
    'Date of matching child and adopter(s) should be the same as, or prior to, the date of placement of adoption.',
  fields: ['DATE_MATCH', 'DECOM', 'REC'],
  // The placement for adoption is the episode that ended in adoption (REC E11/E12); it started on DECOM.
  check(context) {
    if (!has(context, 'AD1', 'Episodes')) return {};
    const adoptions = byChild(context.current, 'AD1');
    const flags: Flags = {};
    for (const [child, episodes] of byChild(context.current, 'Episodes')) {
      for (const episode of episodes) {
        const placed = date(episode.row, 'DECOM');
        if (!ADOPTED.includes(value(episode.row, 'REC')) || placed === null) continue;
        for (const ad1 of adoptions.get(child) ?? []) {
          const matched = date(ad1.row, 'DATE_MATCH');
          if (matched !== null && matched > placed) {
            flag(flags, 'AD1', ad1.index);
            flag(flags, 'Episodes', episode.index);
          }
        }
      }
    }
    return tidyFlags(flags);
  },
};

const rule333: Rule = {
  code: '333',
  message:
    'Date should be placed for adoption must be on or prior to the date of matching child with adopter(s).',
  fields: ['DATE_INT', 'DATE_MATCH'],
  // A match needs an earlier (or same-day) decision that the child should be placed for adoption,
  // so a match date with no valid DATE_INT is flagged too.
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'AD1')) {
      const matched = date(row, 'DATE_MATCH');
      const decided = date(row, 'DATE_INT');
      if (matched !== null && (decided === null || decided > matched)) flag(flags, 'AD1', index);
    }
    return flags;
  },
};

const rule334: Rule = {
  code: '334',
  message:
    'Date child started to be looked after in latest period of care must be on or prior to the date should be placed for adoption. ',
  fields: ['DATE_INT', 'DECOM', 'RNE'],
  // The latest period of care starts with the child's latest episode with RNE S.
  check(context) {
    if (!has(context, 'Episodes', 'AD1')) return {};
    const adoptions = byChild(context.current, 'AD1');
    const flags: Flags = {};
    for (const [child, episodes] of byChild(context.current, 'Episodes')) {
      const latest = extreme(
        episodes.filter((e) => value(e.row, 'RNE') === 'S'),
        'DECOM',
        'latest',
      );
      if (!latest) continue;
      for (const ad1 of adoptions.get(child) ?? []) {
        const decided = date(ad1.row, 'DATE_INT');
        if (decided !== null && decided < latest.date) {
          flag(flags, 'Episodes', latest.entry.index);
          flag(flags, 'AD1', ad1.index);
        }
      }
    }
    return tidyFlags(flags);
  },
};

const rule335: Rule = {
  code: '335',
  message:
    'The current foster value (0) suggests that child is not adopted by current foster carer, but last placement is A2, A3, or A5. Or the current foster value (1) suggests that child is adopted by current foster carer, but last placement is A1, A4 or A6.',
  fields: ['PLACE', 'FOSTER_CARE'],
  // The last placement is the episode that ended in adoption (REC E11/E12, or E1 in older returns).
  check(context) {
    if (!has(context, 'Episodes', 'AD1')) return {};
    const adoptions = byChild(context.current, 'AD1');
    const flags: Flags = {};
    for (const [child, episodes] of byChild(context.current, 'Episodes')) {
      for (const episode of episodes) {
        if (!['E1', 'E11', 'E12'].includes(value(episode.row, 'REC'))) continue;
        const place = value(episode.row, 'PLACE');
        for (const ad1 of adoptions.get(child) ?? []) {
          const foster = value(ad1.row, 'FOSTER_CARE');
          if (
            (['A2', 'A3', 'A5'].includes(place) && foster === '0') ||
            (['A1', 'A4', 'A6'].includes(place) && foster === '1')
          ) {
            flag(flags, 'Episodes', episode.index);
            flag(flags, 'AD1', ad1.index);
          }
        }
      }
    }
    return tidyFlags(flags);
  },
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
  check(context) {
    const flags: Flags = {};
    for (const episodes of byChild(context.current, 'Episodes').values()) {
      const ordered = episodes
        .map((e) => ({ entry: e, decom: date(e.row, 'DECOM') }))
        .filter((e): e is { entry: Entry; decom: string } => e.decom !== null)
        .sort((a, b) => (a.decom < b.decom ? -1 : a.decom > b.decom ? 1 : 0));
      for (let i = 1; i < ordered.length; i += 1) {
        const here = ordered[i];
        const before = ordered[i - 1];
        if (!here || !before) continue;
        if (
          ['A3', 'A5'].includes(value(here.entry.row, 'PLACE')) &&
          !FOSTER_OR_ADOPTIVE.includes(value(before.entry.row, 'PLACE'))
        ) {
          flag(flags, 'Episodes', here.entry.index);
        }
      }
    }
    return tidyFlags(flags);
  },
};

const rule386: Rule = {
  code: '386',
  message: 'Reason episode ceased is adopted but child has reached age 18.',
  fields: ['REC', 'DEC', 'DOB'],
  check(context) {
    if (!has(context, 'Header', 'Episodes')) return {};
    const eighteenth = new Map<string, string>();
    for (const [child, rows] of byChild(context.current, 'Header')) {
      const dob = rows.map(({ row }) => date(row, 'DOB')).find((d) => d !== null);
      if (dob) eighteenth.set(child, addYears(dob, 18));
    }
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'Episodes')) {
      const ceased = date(row, 'DEC');
      const adult = eighteenth.get(value(row, 'CHILD').trim());
      if (ADOPTED.includes(value(row, 'REC')) && ceased !== null && adult !== undefined && ceased >= adult) {
        flag(flags, 'Episodes', index);
      }
    }
    return flags;
  },
};

const rule390: Rule = {
  code: '390',
  message: 'Reason episode ceased is adopted but child has not been previously placed for adoption.',
  fields: ['PLACE', 'REC'],
  // The episode that ends in adoption must be a placement for adoption (A3–A6).
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'Episodes')) {
      if (ADOPTED.includes(value(row, 'REC')) && !['A3', 'A4', 'A5', 'A6'].includes(value(row, 'PLACE'))) {
        flag(flags, 'Episodes', index);
      }
    }
    return flags;
  },
};

const rule408: Rule = {
  code: '408',
  message: 'Child is placed for adoption with a placement order, but no placement order has been recorded.',
  fields: ['PLACE', 'LS'],
  // A5/A6 are placements under a placement order, so the legal status must be E1.
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'Episodes')) {
      if (['A5', 'A6'].includes(value(row, 'PLACE')) && value(row, 'LS') !== 'E1')
        flag(flags, 'Episodes', index);
    }
    return flags;
  },
};

const rule511: Rule = {
  code: '511',
  message:
    'If reporting that the number of person(s) adopting the looked after child is two adopters then the code should only be MM, FF or MF. MM = the adopting couple are both males; FF = the adopting couple are both females; MF = The adopting couple are male and female.',
  fields: ['NB_ADOPTR', 'SEX_ADOPTR'],
  // Flags two adopters recorded with a single adopter's gender (M1/F1); an invalid code is 176's.
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'AD1')) {
      if (value(row, 'NB_ADOPTR') === '2' && ['M1', 'F1'].includes(value(row, 'SEX_ADOPTR')))
        flag(flags, 'AD1', index);
    }
    return flags;
  },
};

const rule514: Rule = {
  code: '514',
  message:
    'Data entry on the legal status of adopters shows a single adopter but data entry for the numbers of adopters shows it as a couple.',
  fields: ['LS_ADOPTR', 'SEX_ADOPTR'],
  // A single adopter (L0) must have a single adopter's gender (M1/F1).
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'AD1')) {
      if (value(row, 'LS_ADOPTR') === 'L0' && !['M1', 'F1'].includes(value(row, 'SEX_ADOPTR')))
        flag(flags, 'AD1', index);
    }
    return flags;
  },
};

const rule517: Rule = {
  code: '517',
  message:
    'If reporting legal status of adopters is L3 then the genders of adopters should be coded as MF. MF = the adopting couple are male and female.',
  fields: ['LS_ADOPTR', 'SEX_ADOPTR'],
  check(context) {
    const flags: Flags = {};
    for (const { row, index } of rowsOf(context.current, 'AD1')) {
      if (value(row, 'LS_ADOPTR') === 'L3' && value(row, 'SEX_ADOPTR') !== 'MF') flag(flags, 'AD1', index);
    }
    return flags;
  },
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
