// Every route declares who may use it (security.md AC-1). A route without a declaration stops
// the application from starting, so nothing can be added that is open by accident.
import type { Permission } from './permissions.js';

export type RouteAccess =
  /** Anyone, signed in or not: health checks, assets, sign-in, the public enquiry form. */
  | { public: true }
  /** Any signed-in member of staff (e.g. their own account pages). */
  | { signedIn: true }
  /** Signed-in staff holding this permission. */
  | { permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Opt a non-GET route out of CSRF checks; only for endpoints with their own proof (e.g. OIDC callbacks use state). */
    csrfExempt?: boolean;
  }
}

export function describeAccess(access: RouteAccess): string {
  if ('public' in access) return 'public';
  if ('signedIn' in access) return 'signed-in';
  return access.permission;
}
