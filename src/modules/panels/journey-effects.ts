// What panels and decisions do to the adopters' and children's journeys (issue 7 §5), always
// through those modules' own services so that their rules (pipeline.ts, journey.ts), derived
// columns, scheduled work and audit run; inside the caller's transaction (joinTransaction), so a
// refusal there rolls the panel's own change back too.
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext, AuditKey } from '../../platform/audit/audit.js';
import { isAppError } from '../../platform/http/errors.js';
import { householdFactSchema, type HouseholdFactInput } from '../adopters/households.forms.js';
import { HouseholdRefused, recordHouseholdFact } from '../adopters/households.service.js';
import type { PipelineFactKind } from '../adopters/pipeline.js';
import { factSchema, type FactInput } from '../children/children.forms.js';
import { ChangeRefused, recordFact } from '../children/children.service.js';
import type { MilestoneKind } from '../children/journey.js';
import { joinTransaction } from './join-transaction.js';
import { refuse, type Trx } from './panels.service.js';

function dateParts(prefix: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${prefix}-day`]: day, [`${prefix}-month`]: month, [`${prefix}-year`]: year };
}

/** A household fact as its own form would give it, so the households module sees what it expects. */
export function householdFact(
  kind: PipelineFactKind,
  date: string,
  source: string,
  details: Record<string, string> = {},
): HouseholdFactInput {
  return householdFactSchema.parse({ kind, source, ...details, ...dateParts('effectiveDate', date) });
}

export function childFact(kind: MilestoneKind, date: string, source: string, note?: string): FactInput {
  return factSchema.parse({ kind, source, ...(note ? { note } : {}), ...dateParts('effectiveDate', date) });
}

/** Records a step in the household's journey inside the open transaction; its refusal becomes the panel's. */
export async function recordHouseholdStep(
  trx: Trx,
  deps: { auditKey: AuditKey },
  actor: Actor,
  auditContext: AuditContext,
  household: { id: string; raaId: string },
  fact: HouseholdFactInput,
): Promise<void> {
  try {
    await recordHouseholdFact(
      { db: joinTransaction(trx), auditKey: deps.auditKey },
      actor,
      auditContext,
      household.id,
      fact,
      household.raaId,
    );
  } catch (error) {
    if (error instanceof HouseholdRefused)
      throw refuse(
        `The household’s record cannot take this: ${error.errors[0]?.message ?? 'the step is not possible'}`,
        'form',
        'conflict',
      );
    if (isAppError(error) && error.kind === 'not-found')
      throw refuse('The household is no longer in this RAA', 'form', 'conflict');
    throw error;
  }
}

/** Records a fact in the child's journey inside the open transaction; its refusal becomes the panel's. */
export async function recordChildStep(
  trx: Trx,
  deps: { auditKey: AuditKey },
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  fact: FactInput,
): Promise<void> {
  try {
    await recordFact(
      { db: joinTransaction(trx), auditKey: deps.auditKey },
      actor,
      auditContext,
      childId,
      fact,
    );
  } catch (error) {
    if (error instanceof ChangeRefused)
      throw refuse(
        `The child’s record cannot take this: ${error.errors[0]?.message ?? 'the fact is not possible'}`,
        'form',
        'conflict',
      );
    if (isAppError(error) && error.kind === 'not-found')
      throw refuse('The child’s record is outside what you can change', 'form', 'conflict');
    throw error;
  }
}
