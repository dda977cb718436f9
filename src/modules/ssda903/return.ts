// The SSDA903 return as Kindred reads it (issue 9 §1–§2; shared/domain.md §6). A council's case
// system produces it as CSV tables or one XML file; whatever the source, the readers hand the rest
// of Kindred this one shape: each table's rows as strings, exactly as written, with '' for a blank
// or a column the file did not have. Nothing here parses dates or codes: rules and importers do
// that, so a bad value is reported where it is used rather than lost at the door.

/** The tables of the return, by the names the DfE validator and `kindred ssda903 validate` use. */
export const tableNames = [
  'Header',
  'Episodes',
  'AD1',
  'PlacedAdoption',
  'PrevPerm',
  'Reviews',
  'UASC',
  'OC2',
  'OC3',
  'Missing',
  'SWEpisodes',
] as const;
export type TableName = (typeof tableNames)[number];

/** Each table's columns in the published order (SSDA903 schema 2024, shared/ssda903/schemas). */
export const tableColumns: Record<TableName, readonly string[]> = {
  Header: ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'],
  Episodes: [
    'CHILD',
    'DECOM',
    'RNE',
    'LS',
    'CIN',
    'PLACE',
    'PLACE_PROVIDER',
    'DEC',
    'REC',
    'REASON_PLACE_CHANGE',
    'HOME_POST',
    'PL_POST',
    'URN',
  ],
  AD1: ['CHILD', 'DOB', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'],
  PlacedAdoption: ['CHILD', 'DOB', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'],
  PrevPerm: ['CHILD', 'DOB', 'PREV_PERM', 'LA_PERM', 'DATE_PERM'],
  Reviews: ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'],
  UASC: ['CHILD', 'SEX', 'DOB', 'DUC'],
  OC2: [
    'CHILD',
    'DOB',
    'SDQ_SCORE',
    'SDQ_REASON',
    'CONVICTED',
    'HEALTH_CHECK',
    'IMMUNISATIONS',
    'TEETH_CHECK',
    'HEALTH_ASSESSMENT',
    'SUBSTANCE_MISUSE',
    'INTERVENTION_RECEIVED',
    'INTERVENTION_OFFERED',
  ],
  OC3: ['CHILD', 'DOB', 'IN_TOUCH', 'ACTIV', 'ACCOM'],
  Missing: ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'],
  SWEpisodes: ['CHILD', 'DOB', 'SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'],
};

/** One row of a table: every column of `tableColumns[table]` is present ('' when blank or missing). */
export type Ssda903Row = Readonly<Record<string, string>>;

export interface Ssda903Table {
  name: TableName;
  /** Where the rows came from, for messages: a file name, or "the XML return". */
  source: string;
  /** The table's columns the source did not have (reported as an error, then read as blank). */
  missingColumns: readonly string[];
  /** Row i is the file's i-th data row (0-based, header excluded), the `row` of a validation error. */
  rows: readonly Ssda903Row[];
}

/** Something wrong with the files themselves, found before any rule runs. */
export interface ReadProblem {
  /** Stable machine code, e.g. 'unknown-table', 'not-utf8', 'duplicate-table', 'xml-entity'. */
  code: string;
  /** The file it concerns, when there is one. */
  source?: string;
  /** One clear sentence for a performance officer. */
  message: string;
  /** True when the return cannot be used at all (nothing may be imported). */
  fatal: boolean;
}

export interface Ssda903Return {
  tables: Partial<Record<TableName, Ssda903Table>>;
  problems: readonly ReadProblem[];
}

/** One finding of `kindred ssda903 validate --json`, in the shape issue 9 §2 fixes. */
export interface ValidationError {
  code: string;
  table: TableName;
  /** 0-based data row in that table's file. */
  row: number;
  fields: readonly string[];
  message: string;
}
