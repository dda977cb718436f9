// One zod schema per admin form. Every field is bounded before it is tidied, so oversized or
// hostile input costs little and is answered with a message beside the field (issue 3 §9).
import { z } from 'zod';
import { isRole, roles, type Role } from '../../../platform/access/permissions.js';
import { cleanText } from '../../../platform/http/validation.js';
import { emailAddressField } from '../recovery/recovery.forms.js';
import type { UserStatus } from '../identity.tables.js';

const selectRoles = 'Select roles from the list';

/** Checkboxes arrive as one string, several (an array) or nothing. */
const roleChoices = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.string({ error: selectRoles }).max(64, selectRoles).refine(isRole, selectRoles), {
      error: selectRoles,
    })
    .max(roles.length * 2, selectRoles)
    .min(1, 'Select at least one role')
    .transform((values) => [...new Set(values)] as Role[]),
);

export const inviteSchema = z.object({
  name: z
    .string({ error: 'Enter their full name' })
    .max(1000, 'Full name must be 120 characters or fewer')
    .refine((value) => value.isWellFormed(), 'Full name must only include characters you can type')
    .transform(cleanText)
    .pipe(z.string().min(1, 'Enter their full name').max(120, 'Full name must be 120 characters or fewer')),
  email: emailAddressField('Enter their email address'),
  organisationId: z
    .string({ error: 'Select an organisation' })
    .max(64, 'Select an organisation from the list')
    .pipe(z.uuid('Select an organisation from the list')),
  roles: roleChoices,
});
export type InviteInput = z.output<typeof inviteSchema>;

export const rolesSchema = z.object({
  roles: roleChoices,
  // The version the page was showing, so a change made by someone else meanwhile is not overwritten (design.md §4).
  version: z
    .string({ error: 'Reload the page and try again' })
    .regex(/^\d{1,9}$/, 'Reload the page and try again')
    .transform(Number),
});
export type RolesInput = z.output<typeof rolesSchema>;

/** The list's filters: anything unrecognised is simply not applied. */
export const userFilterSchema = z.object({
  organisation: z.uuid().optional().catch(undefined),
  status: z
    .enum(['invited', 'active', 'deactivated'] satisfies UserStatus[])
    .optional()
    .catch(undefined),
});
export type UserFilter = z.output<typeof userFilterSchema>;

export const userIdParams = z.object({ id: z.uuid() });
