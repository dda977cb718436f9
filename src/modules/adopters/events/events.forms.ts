// Forms for events and their sessions (issue 5 §4). Times are typed as UK wall-clock time and
// stored as instants: a session at 6:30pm in July is 17:30 UTC.
import { z } from 'zod';
import { cleanText } from '../../../platform/http/validation.js';
import { blankIsMissing } from '../../../platform/http/form-fields.js';

export const eventKindLabels = {
  information_event: 'Information event',
  preparation_group: 'Preparation group (course)',
} as const;

const text = (max: number, missing: string, tooLong: string) =>
  z
    .string({ error: missing })
    .max(max * 4, tooLong)
    .transform(cleanText)
    .pipe(z.string().min(1, missing).max(max, tooLong));

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .max(max * 4, tooLong)
    .optional()
    .transform((value) => cleanText(value ?? ''))
    .refine((value) => value.length <= max, tooLong)
    .transform((value) => (value ? value : null));

export const eventSchema = z.object({
  kind: z.preprocess(
    blankIsMissing,
    z.enum(['information_event', 'preparation_group'], { error: 'Select the kind of event' }),
  ),
  title: text(120, 'Enter a title', 'The title must be 120 characters or fewer'),
  description: optionalText(2000, 'The description must be 2,000 characters or fewer'),
});
export type EventInput = z.output<typeof eventSchema>;
export const eventFormOrder = ['kind', 'title', 'description'];

/** The instant at which the clocks in London show this date and time. */
export function londonTime(year: number, month: number, day: number, hour: number, minute: number): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      })
        .formatToParts(new Date(instant))
        .map((p) => [p.type, Number(p.value)]),
    ) as Record<string, number>;
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - instant;
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}

const timePattern = /^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$/;

export const sessionSchema = z
  .object({
    'date-day': z.string().max(10).optional(),
    'date-month': z.string().max(10).optional(),
    'date-year': z.string().max(10).optional(),
    startTime: z.string().max(20).optional(),
    endTime: z.string().max(20).optional(),
    venueName: optionalText(120, 'The venue name must be 120 characters or fewer'),
    venueAddress: optionalText(500, 'The address must be 500 characters or fewer'),
    meetingLink: optionalText(500, 'The meeting link must be 500 characters or fewer'),
    capacity: z.string().max(20).optional(),
    online: z.string().max(10).optional(),
  })
  .transform((input, context) => {
    let failed = false;
    const fail = (field: string, message: string) => {
      failed = true;
      context.addIssue({ code: 'custom', path: [field], message });
    };
    const [day, month, year] = [input['date-day'], input['date-month'], input['date-year']].map((v) =>
      Number((v ?? '').trim()),
    );
    const validDate =
      Number.isInteger(day) &&
      Number.isInteger(month) &&
      Number.isInteger(year) &&
      year! >= 2000 &&
      year! <= 2100 &&
      new Date(Date.UTC(year!, month! - 1, day!)).getUTCDate() === day;
    if (!validDate) fail('date', 'Enter a real date');
    const start = timePattern.exec((input.startTime ?? '').trim());
    const end = timePattern.exec((input.endTime ?? '').trim());
    if (!start) fail('startTime', 'Enter a start time, like 18:30');
    if (!end) fail('endTime', 'Enter an end time, like 20:30');
    if (input.online !== 'yes' && input.online !== 'no') fail('online', 'Select where the session is');
    const capacityText = (input.capacity ?? '').trim();
    const capacity = Number(capacityText);
    if (!/^\d{1,4}$/.test(capacityText)) fail('capacity', 'Enter the number of places, like 20');
    else if (capacity < 1 || capacity > 1000)
      fail('capacity', 'The number of places must be between 1 and 1,000');
    if (input.online === 'no' && !input.venueName) fail('venueName', 'Enter the name of the venue');
    if (input.online === 'yes' && input.meetingLink && !/^https:\/\/\S+$/.test(input.meetingLink))
      fail('meetingLink', 'Enter a meeting link starting https://');
    if (failed || !validDate || !start || !end) return z.NEVER;
    const startsAt = londonTime(year!, month!, day!, Number(start[1]), Number(start[2]));
    const endsAt = londonTime(year!, month!, day!, Number(end[1]), Number(end[2]));
    if (endsAt <= startsAt) {
      fail('endTime', 'The end time must be after the start time');
      return z.NEVER;
    }
    return {
      startsAt,
      endsAt,
      online: input.online === 'yes',
      venueName: input.online === 'yes' ? null : input.venueName,
      venueAddress: input.online === 'yes' ? null : input.venueAddress,
      meetingLink: input.online === 'yes' ? input.meetingLink : null,
      capacity,
    };
  });
export type SessionInput = z.output<typeof sessionSchema>;
export const sessionFormOrder = [
  'date',
  'startTime',
  'endTime',
  'online',
  'venueName',
  'venueAddress',
  'meetingLink',
  'capacity',
];

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = z.string().regex(uuidPattern);
const version = z
  .string({ error: 'Reload the page and try again' })
  .regex(/^\d{1,9}$/, 'Reload the page and try again')
  .transform(Number);

export const attendanceSchema = z.object({
  bookingId: uuid,
  version,
  outcome: z.enum(['attended', 'did_not_attend'], { error: 'Select whether they came' }),
});

export const inviteSchema = z.object({
  version,
  eventId: z.preprocess(
    blankIsMissing,
    z.string({ error: 'Select an event' }).regex(uuidPattern, 'Select an event'),
  ),
});

export const bookSchema = z.object({
  sessionId: z.preprocess(
    blankIsMissing,
    z.string({ error: 'Select a session' }).regex(uuidPattern, 'Select a session'),
  ),
});
