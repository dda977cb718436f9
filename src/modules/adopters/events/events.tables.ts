import type { Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp } from '../../../platform/db/schema.js';

export const eventKinds = ['information_event', 'preparation_group'] as const;
export type EventKind = (typeof eventKinds)[number];

export const bookingStatuses = ['booked', 'waiting', 'cancelled', 'attended', 'did_not_attend'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

/** The statuses that hold one of a session's places. */
export const placeTaking: readonly BookingStatus[] = ['booked', 'attended', 'did_not_attend'];

export interface AdopterEventsTable {
  id: Generated<string>;
  raa_id: string;
  kind: EventKind;
  title: string;
  description: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface AdopterEventSessionsTable {
  id: Generated<string>;
  event_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  online: boolean;
  venue_name: string | null;
  venue_address: string | null;
  meeting_link: string | null;
  capacity: number;
  created_at: CreatedAt;
}

export interface AdopterEventBookingsTable {
  id: Generated<string>;
  session_id: string;
  enquiry_id: string | null;
  name: string;
  email: string;
  status: BookingStatus;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface AdopterEventLinksTable {
  token_hash: string;
  event_id: string;
  enquiry_id: string | null;
  name: string;
  email: string;
  booking_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

declare module '../../../platform/db/schema.js' {
  interface DB {
    adopter_events: AdopterEventsTable;
    adopter_event_sessions: AdopterEventSessionsTable;
    adopter_event_bookings: AdopterEventBookingsTable;
    adopter_event_links: AdopterEventLinksTable;
  }
}
