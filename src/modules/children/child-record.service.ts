// Reading a child's record and its need-to-know parts (issue 4 §1, §6). The record's page is
// audited as it is served; the birth family, the family-finding profile and each photo are
// separate pages, each permitted only with 'children:restricted' and audited on their own, so
// the audit trail says exactly who read the parts that could lead a birth family to a child.
import { can, type Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { AppError, forbidden } from '../../platform/http/errors.js';
import type { BirthFamilyInput, ProfileInput } from './children.forms.js';
import {
  birthFamilyOf,
  childInScope,
  childrenInScope,
  factsWithRecorders,
  photoContent,
  photosOf,
  profileOf,
  siblingLinksAround,
  tasksForChild,
  type BirthFamilyRow,
  type ChildWithNames,
  type FactWithRecorder,
  type ProfileRow,
  type TaskWithChild,
} from './children.repository.js';
import {
  auditChild,
  changeChild,
  ChangeRefused,
  childNotFound,
  familyFinderChoices,
  isRaaSide,
  today,
  toMilestoneFact,
  type ChildrenDeps,
} from './children.service.js';
import { hardToPlaceProfile, type HardToPlaceTag } from './hard-to-place.js';
import { factsInForce, timeInStages, type Stage } from './journey.js';
import { siblingGroup, siblingsToPlaceWith } from './siblings.js';
import { overdueFor, type OverdueFlag } from './tracking.js';
import type { SiblingPlacementPlan } from './children.tables.js';

export interface SiblingView {
  childId: string;
  name: string;
  councilChildId: string;
  councilName: string;
  /** The plan on the direct link, or null when related through another sibling. */
  plan: SiblingPlacementPlan | null;
  reason: string | null;
}

export interface ChildRecord {
  child: ChildWithNames;
  facts: Array<FactWithRecorder & { inForce: boolean; correctedBy: string | null }>;
  timeInStages: Array<{ stage: Stage; from: string; days: number }>;
  hardToPlace: HardToPlaceTag[];
  overdue: OverdueFlag[];
  siblings: SiblingView[];
  tasks: TaskWithChild[];
  familyFinders: Array<{ id: string; name: string }>;
  mayChange: boolean;
  mayAllocate: boolean;
  mayReadRestricted: boolean;
  today: string;
}

async function findOrRefuse(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  action: string,
  childId: string,
): Promise<ChildWithNames> {
  const child = await childInScope(deps.db, actor.scope.organisationIds, childId);
  if (!child) throw await childNotFound(deps, auditContext, action, childId);
  return child;
}

export async function childRecord(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
): Promise<ChildRecord> {
  const child = await findOrRefuse(deps, actor, auditContext, 'child.view', childId);
  const onDate = today(auditContext);
  const [factRows, links, tasks] = await Promise.all([
    factsWithRecorders(deps.db, child.id),
    siblingLinksAround(deps.db, [child.id]),
    tasksForChild(deps.db, child.id),
  ]);
  const facts = factRows.map(toMilestoneFact);
  const inForce = new Set(factsInForce(facts).map((fact) => fact.id));
  const linkList = links.map((row) => ({
    childAId: row.child_a_id,
    childBId: row.child_b_id,
    plan: row.placement_plan,
  }));
  const groupIds = siblingGroup(linkList, child.id).filter((id) => id !== child.id);
  // Siblings outside the actor's scope (another council's child) are shown without a name.
  const siblingRows = await childrenInScope(deps.db, actor.scope.organisationIds, groupIds);
  const siblings = groupIds.map((id): SiblingView => {
    const row = siblingRows.find((candidate) => candidate.id === id);
    const direct = links.find(
      (link) =>
        (link.child_a_id === child.id && link.child_b_id === id) ||
        (link.child_b_id === child.id && link.child_a_id === id),
    );
    return {
      childId: id,
      name: row ? `${row.first_name} ${row.last_name}` : 'A sibling at another council',
      councilChildId: row?.council_child_id ?? '',
      councilName: row?.council_name ?? '',
      plan: direct?.placement_plan ?? null,
      reason: direct?.reason ?? null,
    };
  });
  const hardToPlace = hardToPlaceProfile(
    {
      dateOfBirth: child.date_of_birth,
      ethnicity: child.ethnicity,
      needs: child.needs,
      siblingsToPlaceWith: siblingsToPlaceWith(linkList, child.id),
    },
    onDate,
  );
  const mayChange = can(actor, 'children:write');
  await auditChild(deps.db, deps, auditContext, {
    action: 'child.view',
    outcome: 'success',
    childId: child.id,
    councilId: child.responsible_council_id,
  });
  return {
    child,
    facts: factRows.map((row) => ({
      ...row,
      inForce: inForce.has(row.id),
      correctedBy: factRows.find((other) => other.supersedes_id === row.id)?.id ?? null,
    })),
    timeInStages: timeInStages(facts, onDate),
    hardToPlace,
    overdue: overdueFor(
      {
        currentStage: child.current_stage as Stage,
        shouldBePlacedDate: child.should_be_placed_date,
        placementOrderDate: child.placement_order_date,
        familyFinderAllocatedDate: child.family_finder_allocated_date,
        hasFamilyFinder: !!child.family_finder_id,
        latestCprDate: child.latest_cpr_date,
        matchDecisionDate: child.match_decision_date,
        hardToPlace: hardToPlace.length > 0,
        hasFamilyFindingStrategy: !!child.family_finding_strategy,
      },
      onDate,
    ),
    siblings,
    tasks,
    familyFinders: mayChange && isRaaSide(actor) ? await familyFinderChoices(deps.db, actor) : [],
    mayChange,
    mayAllocate: mayChange && isRaaSide(actor),
    mayReadRestricted: can(actor, 'children:restricted'),
    today: onDate,
  };
}

function requireRestricted(actor: Actor): void {
  if (!can(actor, 'children:restricted')) throw forbidden();
}

export async function birthFamily(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
): Promise<{ child: ChildWithNames; birthFamily: BirthFamilyRow | undefined }> {
  requireRestricted(actor);
  const child = await findOrRefuse(deps, actor, auditContext, 'child.birth-family.view', childId);
  const found = await birthFamilyOf(deps.db, child.id);
  await auditChild(deps.db, deps, auditContext, {
    action: 'child.birth-family.view',
    outcome: 'success',
    childId: child.id,
    councilId: child.responsible_council_id,
  });
  return { child, birthFamily: found };
}

export async function updateBirthFamily(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: BirthFamilyInput,
): Promise<void> {
  requireRestricted(actor);
  await changeChild(
    deps,
    actor,
    auditContext,
    'child.birth-family.update',
    childId,
    input.version,
    async (trx, child) => {
      const values = {
        birth_mother_name: input.birthMotherName,
        birth_father_name: input.birthFatherName,
        birth_family_postcode_district: input.birthFamilyPostcodeDistrict,
        other_relatives: input.otherRelatives,
        notes: input.notes,
        updated_by: actor.userId,
        updated_at: auditContext.now,
      };
      await trx
        .insertInto('child_birth_families')
        .values({ child_id: child.id, ...values })
        .onConflict((oc) => oc.column('child_id').doUpdateSet(values))
        .execute();
      return { result: undefined };
    },
  );
}

export async function familyFindingProfile(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
): Promise<{
  child: ChildWithNames;
  profile: ProfileRow | undefined;
  photos: Awaited<ReturnType<typeof photosOf>>;
}> {
  requireRestricted(actor);
  const child = await findOrRefuse(deps, actor, auditContext, 'child.profile.view', childId);
  const [profile, photos] = await Promise.all([profileOf(deps.db, child.id), photosOf(deps.db, child.id)]);
  await auditChild(deps.db, deps, auditContext, {
    action: 'child.profile.view',
    outcome: 'success',
    childId: child.id,
    councilId: child.responsible_council_id,
  });
  return { child, profile, photos };
}

export async function updateProfile(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: ProfileInput,
): Promise<void> {
  requireRestricted(actor);
  await changeChild(
    deps,
    actor,
    auditContext,
    'child.profile.update',
    childId,
    input.version,
    async (trx, child) => {
      const values = {
        profile_text: input.profileText,
        updated_by: actor.userId,
        updated_at: auditContext.now,
      };
      await trx
        .insertInto('child_profiles')
        .values({ child_id: child.id, ...values })
        .onConflict((oc) => oc.column('child_id').doUpdateSet(values))
        .execute();
      return { result: undefined };
    },
  );
}

export const photoLimits = { maxBytes: 5 * 1024 * 1024, maxPerChild: 12 } as const;

/** The file's real type from its first bytes: the name and the browser's claim are not trusted. */
export function photoTypeOf(content: Buffer): 'image/jpeg' | 'image/png' | null {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff)
    return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (content.length >= 8 && png.every((byte, i) => content[i] === byte)) return 'image/png';
  return null;
}

export async function addPhoto(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  upload: { content: Buffer; truncated: boolean; description: string | null },
): Promise<void> {
  requireRestricted(actor);
  await changeChild(deps, actor, auditContext, 'child.photo.upload', childId, null, async (trx, child) => {
    if (upload.truncated || upload.content.length > photoLimits.maxBytes) {
      throw new ChangeRefused(
        [{ field: 'photo', message: 'The photo must be smaller than 5 MB' }],
        'failed',
        'too large',
      );
    }
    if (upload.content.length === 0) {
      throw new ChangeRefused([{ field: 'photo', message: 'Select a photo' }], 'failed', 'no file');
    }
    const mediaType = photoTypeOf(upload.content);
    if (!mediaType) {
      throw new ChangeRefused(
        [{ field: 'photo', message: 'The photo must be a JPG or PNG' }],
        'failed',
        'wrong type',
      );
    }
    const count = await trx
      .selectFrom('child_photos')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('child_id', '=', child.id)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= photoLimits.maxPerChild) {
      throw new ChangeRefused(
        [
          {
            field: 'photo',
            message: `A profile can have up to ${photoLimits.maxPerChild} photos: remove one first`,
          },
        ],
        'failed',
        'too many photos',
      );
    }
    await trx
      .insertInto('child_photos')
      .values({
        child_id: child.id,
        media_type: mediaType,
        size_bytes: upload.content.length,
        content: upload.content,
        description: upload.description,
        uploaded_by: actor.userId,
        uploaded_at: auditContext.now,
      })
      .execute();
    return { result: undefined, reason: `${mediaType} ${upload.content.length} bytes` };
  });
}

export async function photo(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  photoId: string,
): Promise<{ mediaType: string; content: Buffer }> {
  requireRestricted(actor);
  const child = await findOrRefuse(deps, actor, auditContext, 'child.photo.view', childId);
  const found = await photoContent(deps.db, child.id, photoId);
  if (!found) throw new AppError('not-found', 'We could not find that photo.');
  await auditChild(deps.db, deps, auditContext, {
    action: 'child.photo.view',
    outcome: 'success',
    childId: child.id,
    councilId: child.responsible_council_id,
    reason: `photo ${found.id}`,
  });
  return { mediaType: found.media_type, content: found.content };
}
