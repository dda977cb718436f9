// A decision and what it does to the journeys must be one change: the decision row, the household's
// or child's fact (written by their own services, so their rules, derived columns, scheduled work
// and audit run), the tasks and the letter either all commit or none do (issue 7, "nothing
// half-written"). Those services open their own transaction on the `db` they are given; handing
// them this view of an open transaction makes their `transaction().execute(fn)` run fn inside it,
// and everything else they do (reads, the audit of a refusal) run in it too. If they refuse, the
// caller rolls the whole transaction back, their audit entry included, and audits the refusal once
// the transaction has ended.
import type { Transaction } from 'kysely';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';

export function joinTransaction(trx: Transaction<DB>): Db {
  const joined = { execute: <T>(fn: (inner: Transaction<DB>) => Promise<T>) => fn(trx) };
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => joined;
      const value: unknown = Reflect.get(target, property, target);
      // Kysely's methods use private fields, so they must run on the transaction itself.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as Db;
}
