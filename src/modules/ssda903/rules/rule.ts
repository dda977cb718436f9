// What a validation rule is (issue 9 §2). Each rule of shared/ssda903/adoption-rules-2025-26.tsv
// is one `Rule`: a pure function of this year's return, last year's (when given) and the
// collection year, answering the rows it flags per table. `validateReturn` (../validate.ts) runs
// them all and turns their flags into `ValidationError`s with the rule's message and fields.
import type { Ssda903Return, TableName } from '../return.js';

export interface RuleContext {
  current: Ssda903Return;
  /** Last year's return (`--previous DIR`), for the rules that compare years (559–561, 584 …). */
  previous: Ssda903Return | undefined;
  /** First and last days of the collection year (1 April – 31 March), as `yyyy-mm-dd` strings. */
  collectionStart: string;
  collectionEnd: string;
}

/** Row positions (0-based, as in `Ssda903Table.rows`) a rule flags, per table of this year's return. */
export type RuleFlags = Partial<Record<TableName, readonly number[]>>;

export interface Rule {
  /** The DfE rule code as in the TSV ('1003', 'INT01' …). */
  code: string;
  /** The DfE message, word for word from the TSV. */
  message: string;
  /** The fields the message is about, reported with each error. */
  fields: readonly string[];
  check(context: RuleContext): RuleFlags;
}
