// The public enquiry form and the triage form. The public form is the one place anyone on the
// internet can write to Kindred: every field is bounded before it is tidied, the body is small,
// and unexpected fields are ignored (issue 5 §1, Bad input).
import { z } from 'zod';
import { cleanText } from '../../platform/http/validation.js';
import { emailAddressField } from '../identity/recovery/recovery.forms.js';
import { blankIsMissing } from '../../platform/http/form-fields.js';

export const heardFromOptions = {
  search: 'An internet search',
  social_media: 'Social media',
  friend_or_family: 'A friend or family member',
  event: 'An event or talk',
  council: 'My local council',
  advert: 'An advert (radio, bus, poster)',
  other: 'Somewhere else',
} as const;

export const applyingAsOptions = { single: 'On my own', couple: 'With a partner' } as const;

export const previousExperienceOptions = {
  none: 'No',
  adopted: 'Yes, I have adopted before',
  foster_carer: 'Yes, I am or have been a foster carer',
} as const;

/**
 * A UK postcode, tidied to capitals with one space before the inward code. The pattern is the
 * shape used by GOV.UK services (outward code of 2–4 characters, inward code digit + 2 letters).
 */
export const postcodePattern = /^([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9][A-Z]{2})$/;

export function tidyPostcode(value: string): { postcode: string; district: string } | null {
  const match = postcodePattern.exec(value.toUpperCase().replace(/\s+/g, ' ').trim());
  if (!match) return null;
  return { postcode: `${match[1]} ${match[2]}`, district: match[1]! };
}

export const enquirySchema = z.object({
  name: z
    .string({ error: 'Enter your name' })
    .max(1000, 'Your name must be 120 characters or fewer')
    .transform(cleanText)
    .pipe(z.string().min(1, 'Enter your name').max(120, 'Your name must be 120 characters or fewer')),
  email: emailAddressField('Enter your email address'),
  phone: z
    .string()
    .max(100, 'Enter a phone number, like 020 7946 0000')
    .optional()
    .transform((value) => cleanText(value ?? '').replace(/[\s()-]/g, ''))
    .refine(
      (value) => value === '' || /^\+?[0-9]{10,14}$/.test(value),
      'Enter a phone number, like 020 7946 0000',
    )
    .transform((value) => (value ? value : null)),
  postcode: z
    .string({ error: 'Enter your postcode' })
    .max(100, 'Enter a real postcode, like SE15 5AB')
    .transform((value) => cleanText(value))
    .pipe(z.string().min(1, 'Enter your postcode'))
    .transform((value, context) => {
      const tidy = tidyPostcode(value);
      if (!tidy) {
        context.addIssue({ code: 'custom', message: 'Enter a real postcode, like SE15 5AB' });
        return z.NEVER;
      }
      return tidy;
    }),
  applyingAs: z.preprocess(
    blankIsMissing,
    z.enum(['single', 'couple'], {
      error: 'Select whether you are thinking of adopting on your own or with a partner',
    }),
  ),
  previousExperience: z.preprocess(
    blankIsMissing,
    z.enum(['none', 'adopted', 'foster_carer'], {
      error: 'Select whether you have adopted or fostered before',
    }),
  ),
  heardFrom: z.preprocess(
    blankIsMissing,
    z.enum(Object.keys(heardFromOptions) as [keyof typeof heardFromOptions], {
      error: 'Select how you heard about us',
    }),
  ),
  message: z
    .string()
    .max(4000, 'Your message must be 2,000 characters or fewer')
    .optional()
    .transform((value) => cleanText(value ?? ''))
    .refine((value) => value.length <= 2000, 'Your message must be 2,000 characters or fewer')
    .transform((value) => (value ? value : null)),
  /** The honeypot: a field people never see. Anything in it marks the form as sent by a program. */
  website: z.string().max(1000).optional(),
});
export type EnquiryInput = z.output<typeof enquirySchema>;

export const triageSchema = z.object({
  version: z
    .string({ error: 'Reload the page and try again' })
    .regex(/^\d{1,9}$/, 'Reload the page and try again')
    .transform(Number),
  status: z.preprocess(
    blankIsMissing,
    z.enum(['contacted', 'invited', 'closed'], { error: 'Select what has happened' }),
  ),
  closedReason: z
    .string()
    .max(1000)
    .optional()
    .transform((value) => cleanText(value ?? '').slice(0, 500) || null),
  triageNote: z
    .string()
    .max(4000, 'The note must be 2,000 characters or fewer')
    .optional()
    .transform((value) => cleanText(value ?? ''))
    .refine((value) => value.length <= 2000, 'The note must be 2,000 characters or fewer')
    .transform((value) => (value ? value : null)),
});
export type TriageInput = z.output<typeof triageSchema>;
