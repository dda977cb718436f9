import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp } from '../../platform/db/schema.js';

export type UserStatus = 'invited' | 'active' | 'deactivated';
export type SecondFactor = 'totp' | 'recovery_code' | 'oidc' | 'demo_skipped';

export interface UsersTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  name: string;
  password_hash: string | null;
  totp_secret_encrypted: string | null;
  totp_enrolled_at: NullableTimestamp;
  totp_last_time_step: ColumnType<number | null, number | null | undefined, number | null>;
  status: Generated<UserStatus>;
  failed_sign_ins: Generated<number>;
  throttled_until: NullableTimestamp;
  last_sign_in_at: NullableTimestamp;
  is_demo: Generated<boolean>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
  granted_by: string | null;
  granted_at: CreatedAt;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  second_factor: SecondFactor | null;
  ip: string | null;
  user_agent: string | null;
  ended_at: NullableTimestamp;
  ended_reason: string | null;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: CreatedAt;
  used_at: NullableTimestamp;
}

export interface OneTimeTokensTable {
  token_hash: string;
  purpose: 'invitation' | 'password_reset';
  user_id: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface IdentityProvidersTable {
  organisation_id: string;
  issuer: string;
  client_id: string;
  client_secret_encrypted: string | null;
  display_name: string;
  enabled: Generated<boolean>;
  require_mfa: Generated<boolean>;
  required_acr: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface UserExternalIdentitiesTable {
  user_id: string;
  issuer: string;
  subject: string;
  linked_at: ColumnType<Date, Date | string | undefined, never>;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    users: UsersTable;
    user_roles: UserRolesTable;
    sessions: SessionsTable;
    recovery_codes: RecoveryCodesTable;
    one_time_tokens: OneTimeTokensTable;
    identity_providers: IdentityProvidersTable;
    user_external_identities: UserExternalIdentitiesTable;
  }
}
