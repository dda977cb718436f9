// The composition root: builds the Fastify application from explicit dependencies.
// Read it as a table of contents: security headers, body parsing, sessions and access,
// CSRF, views, assets, errors, then each module's routes.
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteOptions,
} from 'fastify';
import type { Transaction } from 'kysely';
import type { Actor } from './access/actor.js';
import { describeAccess, type RouteAccess } from './access/route-access.js';
import { buildAssetManifest, type AssetManifest } from './assets/assets.js';
import {
  auditKeyFrom,
  writeAudit,
  type AuditContext,
  type AuditEntry,
  type AuditKey,
} from './audit/audit.js';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { DB } from './db/schema.js';
import { registerErrorHandling } from './http/error-handling.js';
import { forbidden, unauthenticated } from './http/errors.js';
import { createJobQueue, type JobQueue } from './jobs/job-queue.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { navigationFor, type NavigationItem } from './views/navigation.js';
import { createViewEnvironment } from './views/render.js';
import { registerHealthRoutes } from './http/health.routes.js';
import { registerHomeRoutes } from '../modules/home/home.routes.js';
import { registerOrganisationRoutes } from '../modules/organisations/organisations.routes.js';
import { authenticateRequest, registerIdentityRoutes } from '../modules/identity/identity.routes.js';
import { registerIdentityAdminRoutes } from '../modules/identity/admin/identity-admin.routes.js';
import { registerAccountRecoveryRoutes } from '../modules/identity/recovery/account-recovery.routes.js';
import { registerAuditRoutes } from '../modules/audit/audit.routes.js';
import { registerSsoRoutes } from '../modules/identity/sso/sso.routes.js';
import { registerChildrenRoutes } from '../modules/children/children.routes.js';
import { registerWorkRoutes } from '../modules/work/work.routes.js';
import { registerEnquiryRoutes } from '../modules/adopters/enquiries.routes.js';
import { registerHouseholdRoutes } from '../modules/adopters/households.routes.js';
import { registerFunnelRoutes } from '../modules/adopters/funnel.routes.js';
import { registerCouncilCheckRoutes } from '../modules/adopters/council-checks.routes.js';
import { registerEventRoutes } from '../modules/adopters/events/events.routes.js';
import { registerMatchingRoutes } from '../modules/matching/matching.routes.js';
import { registerSupportRoutes } from '../modules/support/support.routes.js';
import { registerPanelRoutes } from '../modules/panels/panels.routes.js';
import { registerImportRoutes } from '../modules/ssda903/import.routes.js';
import { registerReportsRoutes } from '../modules/reports/reports.routes.js';
import { registerScorecardRoutes } from '../modules/reports/scorecard.routes.js';

export interface AppDependencies {
  config: Config;
  database: Database;
  /** The time now; tests pass a controllable clock. */
  clock?: () => Date;
  mailer?: Mailer;
  /** Where structured logs go (tests capture them to prove nothing secret is logged). */
  logStream?: DestinationStream;
}

/** What every module's routes receive: the shared machinery, never another module's tables. */
export interface ModuleContext {
  config: Config;
  database: Database;
  db: Db;
  clock: () => Date;
  auditKey: AuditKey;
  mailer: Mailer;
  /**
   * The job queue (src/platform/jobs): register workers and schedules at registration time with
   * `jobs.work(name, handler)` and `jobs.schedule(name, cron)`; send with `jobs.send(name, data)`.
   */
  jobs: JobQueue;
  assets: AssetManifest;
  navigation: NavigationItem[];
  /** Audit an action for this request, in the given transaction when there is one. */
  audit(request: FastifyRequest, entry: AuditEntry, trx?: Transaction<DB>): Promise<void>;
  auditContext(request: FastifyRequest): AuditContext;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** Set by the identity module when a session exists but sign-in is not finished (second factor). */
    pendingUserId: string | null;
  }
  interface FastifyReply {
    /** Renders a Nunjucks view inside the GOV.UK shell, with the request's actor, nonce and CSRF token. */
    view(template: string, context?: Record<string, unknown>): Promise<FastifyReply>;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? (() => new Date());
  const assets = buildAssetManifest();
  const views = createViewEnvironment(assets);
  const auditKey = auditKeyFrom(config.secret);
  const mailer = deps.mailer ?? createMailer(config);

  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
      // Requests are logged by route pattern, never by raw URL or body: URLs can carry
      // one-time tokens and bodies carry case notes and passwords (issue 3 §7, security.md LG-2).
      serializers: {
        req: (request: { method: string; routeOptions?: { url?: string } }) => ({
          method: request.method,
          route: request.routeOptions?.url ?? 'unmatched',
        }),
        res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      },
      redact: {
        paths: ['req.headers', 'headers', 'body', 'password', '*.password', 'token', '*.token'],
        remove: true,
      },
    },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: 'idle',
    // Long path parameters reach our own 404/400 handling instead of a bare 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('pendingUserId', null);

  // Default deny: a route that does not say who may use it cannot be registered (AC-1).
  const routeAccess: RouteAccessRow[] = [];
  app.addHook('onRoute', routeAccessRecorder(routeAccess));
  app.decorate('routeAccessTable', () => [...routeAccess]);

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: config.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie, { secret: config.secret });
  await app.register(fastifyFormbody, { bodyLimit: 1024 * 1024 });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: config.tls ? '__Host-kindred-csrf' : 'kindred-csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.tls, signed: true },
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      const header = request.headers['x-csrf-token'];
      return fromBody ?? (typeof header === 'string' ? header : undefined);
    },
  });
  // Multipart only for photo uploads: parsed into the body (so the CSRF token is checked as for
  // any form), one file, its size capped by the route; a larger file arrives truncated and the
  // route refuses it with a message beside the field.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { files: 1, fields: 10, fieldSize: 4096, fileSize: 5 * 1024 * 1024 + 1, parts: 12 },
  });
  await app.register(fastifyRateLimit, { global: false });

  const auditContext = (request: FastifyRequest): AuditContext => ({
    actor: request.actor,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    correlationId: request.id,
    now: clock(),
  });

  // Not started here: the server starts it once every module has registered its workers
  // (KINDRED_JOBS); tests start it when they need it, or it starts on first use.
  const jobs = createJobQueue({ database, logger: app.log.child({ component: 'jobs' }), work: config.jobs });
  app.decorate('jobs', jobs);
  app.addHook('onClose', () => jobs.stop());

  const context: ModuleContext = {
    config,
    database,
    db: database.db,
    clock,
    auditKey,
    mailer,
    jobs,
    assets,
    navigation: [],
    auditContext,
    audit: (request, entry, trx) => writeAudit(trx ?? database.db, auditKey, auditContext(request), entry),
  };

  app.decorateReply(
    'view',
    async function view(this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
      const request = this.request;
      const actor = request.actor;
      const html = views.render(template, {
        ...data,
        actor,
        cspNonce: this.cspNonce?.script,
        csrfToken: this.generateCsrf(),
        shell: {
          organisationName: actor?.organisation.name ?? 'Kindred',
          navigation: navigationFor(context.navigation, actor, request.url.split('?')[0] ?? '/'),
          demo: config.demo,
          secondFactorSkipped: actor?.secondFactorSkipped ?? false,
        },
        sessionTimeout: actor
          ? {
              idleSeconds: request.sessionSecondsLeft ?? config.sessionIdleSeconds,
              warningSeconds: 120,
              extendUrl: '/session/extend',
              signedOutUrl: '/sign-in?timedOut=1',
            }
          : undefined,
      });
      return this.type('text/html; charset=utf-8').send(html);
    },
  );

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
    request.actor = await authenticateRequest(context, request, reply);
  });

  // The origin and CSRF token check for a state-changing request, for the hook below and for the
  // one route that reads its own body before it can be checked (the SSDA903 upload).
  app.decorate('verifyFormOrigin', async (request: FastifyRequest, reply: FastifyReply) => {
    checkOrigin(request, config);
    await new Promise<void>((resolve, reject) => {
      app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
    });
  });

  // Authorisation, then CSRF for anything that changes state (issue 3 §5, §7; security.md IO-6).
  app.addHook('preHandler', async (request, reply) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (!access) throw forbidden();
    if (!('public' in access)) {
      if (!request.actor) {
        if (isApiRequest(request) || !safeMethods.has(request.method)) throw unauthenticated();
        return reply.redirect('/sign-in');
      }
      if ('permission' in access && !request.actor.permissions.has(access.permission)) {
        await context.audit(request, {
          action: 'access.route',
          outcome: 'denied',
          subjectType: 'route',
          subjectId: `${request.method} ${request.routeOptions.url}`.slice(0, 100),
          reason: `missing permission ${access.permission}`,
        });
        throw forbidden();
      }
    }
    if (!safeMethods.has(request.method) && !request.routeOptions.config.csrfExempt) {
      await app.verifyFormOrigin(request, reply);
    }
  });

  // Pages for signed-in staff must not be cached by browsers or proxies (security.md IO-7).
  app.addHook('onSend', async (request, reply) => {
    if (request.actor && !request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
  });

  registerErrorHandling(app, { isApiRequest });

  app.get('/assets/*', { config: { access: { public: true } } }, async (request, reply) => {
    const wildcard = (request.params as { '*': string })['*'];
    const asset = assets.lookup(wildcard);
    if (!asset) return reply.code(404).type('text/plain').send('Not found');
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type(asset.contentType)
      .send(asset.body);
  });

  registerHealthRoutes(app, context);
  await registerIdentityRoutes(app, context);
  await registerSsoRoutes(app, context);
  await registerIdentityAdminRoutes(app, context);
  await registerAccountRecoveryRoutes(app, context);
  await registerHomeRoutes(app, context);
  await registerOrganisationRoutes(app, context);
  await registerAuditRoutes(app, context);
  await registerChildrenRoutes(app, context);
  await registerWorkRoutes(app, context);
  await registerEnquiryRoutes(app, context);
  await registerHouseholdRoutes(app, context);
  registerFunnelRoutes(app, context);
  await registerCouncilCheckRoutes(app, context);
  registerEventRoutes(app, context);
  await registerMatchingRoutes(app, context);
  await registerPanelRoutes(app, context);
  await registerSupportRoutes(app, context);
  await registerImportRoutes(app, context);
  registerReportsRoutes(app, context);
  registerScorecardRoutes(app, context);

  return app;
}

export interface RouteAccessRow {
  method: string;
  url: string;
  access: string;
}

/** The onRoute hook that refuses undeclared routes and records the declared ones (AC-1). */
export function routeAccessRecorder(table: RouteAccessRow[]): (route: RouteOptions) => void {
  return (route) => {
    const access = route.config?.access as RouteAccess | undefined;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!access) {
      throw new Error(`Route ${methods.join(',')} ${route.url} does not declare its access (config.access).`);
    }
    for (const method of methods) table.push({ method, url: route.url, access: describeAccess(access) });
  };
}

/** A state-changing request must come from our own pages (belt and braces beside the token). */
function checkOrigin(request: FastifyRequest, config: Config): void {
  const origin = request.headers.origin;
  if (!origin) return;
  const allowed = new Set([
    new URL(config.publicUrl).origin,
    `http://${request.headers.host}`,
    `https://${request.headers.host}`,
  ]);
  if (!allowed.has(origin)) throw forbidden();
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Refuses a state-changing request from another origin or without the form's CSRF token (IO-6). */
    verifyFormOrigin(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** Every registered route with its declared access, for the route-registry test and docs. */
    routeAccessTable(): RouteAccessRow[];
    /** The job queue the modules registered with; stopped when the app closes. */
    jobs: JobQueue;
  }
}
