// The job queue: work done outside a request — reminders at 07:00, retries of mail, overnight
// reports — kept in PostgreSQL by pg-boss, in its own `pgboss` schema (docs/decisions/0007).
// This is a thin, typed face on pg-boss: job names and their data are declared by the modules,
// handlers take one job at a time, and a failed handler is logged and left to pg-boss's retry policy.
//
// On PGlite, pg-boss's statements go through the lock the Kysely driver holds, so they never land
// inside a request's transaction. On PostgreSQL, pg-boss keeps a small pool of its own.
//
// A module registers at registration time, through its ModuleContext:
//
//   declare module '../../platform/jobs/job-queue.js' {
//     interface JobTypes { 'children.daily-reminders': { organisationId?: string } }
//   }
//   await context.jobs.work('children.daily-reminders', async (job) => { ... });
//   await context.jobs.schedule('children.daily-reminders', '0 7 * * *'); // 07:00 Europe/London
import type { Transaction } from 'kysely';
import { PgBoss, fromKysely, fromPglite, type Db as PgBossDb, type JobWithMetadata } from 'pg-boss';
import type {
  ConstructorOptions,
  SendOptions as PgBossSendOptions,
  WorkOptions as PgBossWorkOptions,
} from 'pg-boss';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';

/**
 * Every job Kindred knows: its name, and the data it carries. Modules add theirs by declaration
 * merging (see above). Data should be identifiers, not personal details: the `pgboss` schema is
 * outside the audit trail and the backups.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface JobTypes {}

export type JobName<J> = Extract<keyof J, string>;

export interface Job<Data> {
  id: string;
  name: string;
  data: Data;
  /** 0 on the first attempt, 1 on the first retry, and so on. */
  retryCount: number;
  /** Aborted when pg-boss gives up on the attempt (it ran past expireInSeconds) or stops. */
  signal: AbortSignal;
}

/** Does the work, or throws: a thrown error is logged and the job retried as its queue's policy allows. */
export type JobHandler<Data> = (job: Job<Data>) => Promise<void>;

/** How a job name's queue retries and expires jobs (pg-boss queue options). */
export interface RetryPolicy {
  /** Retries after the first attempt before the job is recorded as failed. Default 3. */
  retryLimit?: number;
  /** Seconds before the first retry. Default 60. */
  retryDelay?: number;
  /** Double the delay on each retry, with jitter. Default true. */
  retryBackoff?: boolean;
  /** Longest delay between retries, in seconds, with backoff. Default 3600. */
  retryDelayMax?: number;
  /** Seconds an attempt may run before it counts as failed. Default 900. */
  expireInSeconds?: number;
}

export interface WorkerOptions extends RetryPolicy {
  /** How often an idle worker looks for jobs. Default 2; at least 0.5. */
  pollingIntervalSeconds?: number;
  /** Jobs of this name run at once in this process. Default 1. */
  localConcurrency?: number;
}

export interface ScheduleOptions {
  /** The time zone the cron expression is read in. Default Europe/London. */
  tz?: string;
  /** Tells apart several schedules of one job name. Default ''. */
  key?: string;
}

export type SendOptions = Omit<PgBossSendOptions, 'db'> & {
  /**
   * Send the job in this transaction, so it exists only if the transaction commits. On PGlite this
   * is the only way to send from inside a transaction: without it, the send would wait on the lock
   * the transaction holds.
   */
  trx?: Transaction<DB>;
};

export interface RunDueResult {
  /** Jobs whose handler finished. */
  completed: number;
  /** Attempts whose handler threw (a job retried at once and failing each time counts each attempt). */
  failed: number;
}

/** What the queue writes to: pino's calling convention, as Fastify's logger has it. */
export interface JobLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface JobQueueOptions {
  database: Database;
  logger: JobLogger;
  /**
   * Run workers, schedules and pg-boss's maintenance in this process (config.jobs, KINDRED_JOBS).
   * When false, jobs can still be sent; they wait for a process that works them, or for runDue().
   */
  work: boolean;
  /** Seconds stop() waits for handlers in progress before failing them (they are retried). Default 10. */
  stopTimeoutSeconds?: number;
}

export const jobsSchema = 'pgboss';
const defaultTimeZone = 'Europe/London';
const defaultPolicy = {
  retryLimit: 3,
  retryDelay: 60,
  retryBackoff: true,
  retryDelayMax: 3600,
  expireInSeconds: 900,
} satisfies RetryPolicy;

interface Worker {
  handler: JobHandler<unknown>;
  options: WorkerOptions;
}

interface Scheduled {
  name: string;
  cron: string;
  data: object | null;
  tz: string;
  key: string;
}

/**
 * Kindred's job queue. Workers and schedules may be registered before it starts (modules do so at
 * registration time); it starts when the server starts it, or on the first send() or runDue().
 */
export class JobQueue<J extends object = JobTypes> {
  readonly #options: JobQueueOptions;
  readonly #logger: JobLogger;
  readonly #workers = new Map<string, Worker>();
  readonly #schedules = new Map<string, Scheduled>();
  #boss: PgBoss | undefined;
  #starting: Promise<PgBoss> | undefined;
  #stopped = false;

  constructor(options: JobQueueOptions) {
    this.#options = options;
    this.#logger = options.logger;
  }

  /** True once start() has finished and until stop(). */
  get running(): boolean {
    return this.#boss !== undefined && !this.#stopped;
  }

  /** Whether this process runs workers and schedules, or only sends. */
  get working(): boolean {
    return this.#options.work;
  }

  /**
   * Starts pg-boss (installing or upgrading its schema), creates the queues of every registered
   * worker and schedule, writes the schedules, and, when working, starts the workers. Idempotent.
   */
  async start(): Promise<void> {
    await this.#start();
  }

  /** Registers the handler for a job name; one handler per name. */
  async work<N extends JobName<J>>(
    name: N,
    handler: JobHandler<J[N]>,
    options: WorkerOptions = {},
  ): Promise<void> {
    await this.#settled();
    if (this.#workers.has(name)) throw new Error(`Job ${name} already has a worker.`);
    const worker: Worker = { handler: handler as JobHandler<unknown>, options };
    this.#workers.set(name, worker);
    if (this.#boss) {
      await this.#createQueue(this.#boss, name);
      if (this.working) await this.#startWorker(this.#boss, name, worker);
    }
  }

  /**
   * Sends the job `name` on a cron expression (minute hour day-of-month month day-of-week), read in
   * Europe/London unless `options.tz` says otherwise: '0 7 * * *' is 07:00 every day, BST or GMT.
   * Schedules are declared in code: when the queue starts working, schedules no module declares any
   * more are removed. A missed occurrence (Kindred was down) is not sent late.
   */
  async schedule<N extends JobName<J>>(
    name: N,
    cron: string,
    data?: J[N],
    options: ScheduleOptions = {},
  ): Promise<void> {
    await this.#settled();
    const scheduled: Scheduled = {
      name,
      cron,
      data: (data ?? null) as object | null,
      tz: options.tz ?? defaultTimeZone,
      key: options.key ?? '',
    };
    this.#schedules.set(scheduleId(name, scheduled.key), scheduled);
    if (this.#boss) {
      await this.#createQueue(this.#boss, name);
      await this.#writeSchedule(this.#boss, scheduled);
    }
  }

  /**
   * Queues a job for its worker. Returns the job's id, or null when pg-boss declined a duplicate
   * (singletonKey and similar options). With `trx`, the job is sent inside that transaction.
   */
  async send<N extends JobName<J>>(name: N, data: J[N], options: SendOptions = {}): Promise<string | null> {
    if (!this.#workers.has(name) && ![...this.#schedules.values()].some((s) => s.name === name)) {
      throw new Error(
        `Job ${name} has no worker: register one with jobs.work('${name}', handler) when the module registers.`,
      );
    }
    const { trx, ...sendOptions } = options;
    if (trx) {
      // Starting pg-boss needs the database session, which on PGlite the transaction holds.
      if (!this.running) {
        throw new Error(
          `The job queue must be started before a job is sent inside a transaction (job ${name}); the server starts it, and a test calls jobs.start().`,
        );
      }
      return this.#boss!.send(name, data as object, { ...sendOptions, db: fromKysely(trx) });
    }
    const boss = await this.#start();
    return boss.send(name, data as object, sendOptions);
  }

  /**
   * Runs every job of this name that is due now with its registered handler, here and now, and
   * settles each through pg-boss as a worker would: completed, or failed and retried by its policy
   * (a retry due at once runs in this same call). For tests and one-off commands, so the effect of
   * a job can be proved without waiting for a worker to poll. Jobs deferred into the future are left.
   */
  async runDue<N extends JobName<J>>(name: N): Promise<RunDueResult> {
    const worker = this.#workers.get(name);
    if (!worker) throw new Error(`Job ${name} has no worker to run it.`);
    const boss = await this.#start();
    const result: RunDueResult = { completed: 0, failed: 0 };
    // Bounded, in case a handler keeps sending jobs of its own name.
    for (let round = 0; round < 10_000; round += 1) {
      const [job] = await boss.fetch<unknown>(name, { includeMetadata: true });
      if (!job) break;
      let failure: { error: unknown } | undefined;
      try {
        await this.#run(worker, job);
      } catch (error) {
        failure = { error };
      }
      if (failure) {
        await boss.fail(name, job, errorOutput(failure.error));
        result.failed += 1;
      } else {
        await boss.complete(name, job);
        result.completed += 1;
      }
    }
    return result;
  }

  /** Jobs of this name still stored (pg-boss keeps finished ones for a week by default), oldest first. */
  async findJobs<N extends JobName<J>>(name: N): Promise<JobWithMetadata<J[N]>[]> {
    const boss = await this.#start();
    return boss.findJobs<J[N]>(name);
  }

  /**
   * Stops workers and schedules, waiting for handlers in progress (they are failed, and so retried
   * later, if they outlast the timeout). Idempotent; a stopped queue does not start again.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const boss = await this.#starting?.catch(() => undefined);
    if (!boss) return;
    await boss.stop({ graceful: true, timeout: (this.#options.stopTimeoutSeconds ?? 10) * 1000 });
    this.#logger.info({}, 'The job queue has stopped.');
  }

  /** Waits for a start in progress, so a late registration is neither missed nor made twice. */
  async #settled(): Promise<void> {
    if (this.#starting && !this.#boss) await this.#starting.catch(() => undefined);
  }

  #start(): Promise<PgBoss> {
    if (this.#stopped) return Promise.reject(new Error('The job queue has stopped.'));
    this.#starting ??= this.#connect().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #connect(): Promise<PgBoss> {
    const { database } = this.#options;
    const working = this.working;
    const boss = new PgBoss({
      ...connectionFor(database),
      schema: jobsSchema,
      // Only a working process maintains the queues, fires schedules and records itself.
      supervise: working,
      schedule: working,
      registerInstance: working,
      // PGlite has no autovacuum to watch.
      monitorVacuum: database.kind === 'postgres',
    });
    boss.on('error', (error) => this.#logger.error({ err: error }, 'The job queue reported an error.'));
    boss.on('warning', (warning) =>
      this.#logger.warn({ warning: warning.data }, `Job queue warning: ${warning.message}`),
    );
    try {
      await boss.start();
      const names = new Set([...this.#workers.keys(), ...[...this.#schedules.values()].map((s) => s.name)]);
      for (const name of names) await this.#createQueue(boss, name);
      for (const scheduled of this.#schedules.values()) await this.#writeSchedule(boss, scheduled);
      if (working) {
        await this.#removeUndeclaredSchedules(boss);
        for (const [name, worker] of this.#workers) await this.#startWorker(boss, name, worker);
      }
    } catch (error) {
      await boss.stop({ graceful: false }).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('config', `The job queue could not start on ${database.location}: ${reason}.`, {
        cause: error,
      });
    }
    if (this.#stopped) {
      // stop() was called while starting: it waits on this promise and then stops the instance.
      return boss;
    }
    this.#boss = boss;
    this.#logger.info(
      { workers: this.#workers.size, schedules: this.#schedules.size, working },
      working ? 'The job queue is working.' : 'The job queue is sending only (KINDRED_JOBS=off).',
    );
    return boss;
  }

  /** Creates the queue if need be and sets its retry policy to the one declared in code. */
  async #createQueue(boss: PgBoss, name: string): Promise<void> {
    const { retryDelayMax, ...policy } = {
      ...defaultPolicy,
      ...pickPolicy(this.#workers.get(name)?.options ?? {}),
    };
    // pg-boss takes a longest delay only with backoff.
    await boss.createQueue(name, policy.retryBackoff ? { ...policy, retryDelayMax } : policy);
    await boss.updateQueue(name, { ...policy, retryDelayMax: policy.retryBackoff ? retryDelayMax : null });
  }

  async #writeSchedule(boss: PgBoss, scheduled: Scheduled): Promise<void> {
    await boss.schedule(scheduled.name, scheduled.cron, scheduled.data, {
      tz: scheduled.tz,
      key: scheduled.key,
    });
  }

  async #removeUndeclaredSchedules(boss: PgBoss): Promise<void> {
    for (const stored of await boss.getSchedules()) {
      if (this.#schedules.has(scheduleId(stored.name, stored.key))) continue;
      await boss.unschedule(stored.name, stored.key);
      this.#logger.info(
        { job: stored.name, key: stored.key },
        `Removed the schedule of job ${stored.name}: no module declares it any more.`,
      );
    }
  }

  async #startWorker(boss: PgBoss, name: string, worker: Worker): Promise<void> {
    const { pollingIntervalSeconds, localConcurrency } = worker.options;
    const options: PgBossWorkOptions & { includeMetadata: true } = { includeMetadata: true, batchSize: 1 };
    if (pollingIntervalSeconds !== undefined) options.pollingIntervalSeconds = pollingIntervalSeconds;
    if (localConcurrency !== undefined) options.localConcurrency = localConcurrency;
    await boss.work(name, options, async (jobs: JobWithMetadata<unknown>[]) => {
      for (const job of jobs) await this.#run(worker, job);
    });
  }

  /** Runs the handler; a failure is logged here and rethrown for pg-boss to retry or record. */
  async #run(worker: Worker, job: JobWithMetadata<unknown>): Promise<void> {
    try {
      await worker.handler({
        id: job.id,
        name: job.name,
        data: job.data,
        retryCount: job.retryCount,
        signal: job.signal,
      });
    } catch (error) {
      const retriesLeft = Math.max(0, job.retryLimit - job.retryCount);
      this.#logger.error(
        { err: error, job: { id: job.id, name: job.name, attempt: job.retryCount + 1 } },
        retriesLeft > 0
          ? `Job ${job.name} failed; it will be retried (${retriesLeft} ${retriesLeft === 1 ? 'retry' : 'retries'} left).`
          : `Job ${job.name} failed with no retries left and is recorded as failed.`,
      );
      throw error;
    }
  }
}

/** A job queue that starts when the server starts it, or on first use. */
export function createJobQueue<J extends object = JobTypes>(options: JobQueueOptions): JobQueue<J> {
  return new JobQueue<J>(options);
}

/** A job queue, started. */
export async function startJobQueue<J extends object = JobTypes>(
  options: JobQueueOptions,
): Promise<JobQueue<J>> {
  const queue = createJobQueue<J>(options);
  await queue.start();
  return queue;
}

/** How pg-boss reaches the database: through the shared PGlite session, or a small pool of its own. */
function connectionFor(database: Database): ConstructorOptions {
  if (database.kind === 'pglite') {
    const { pglite, withPglite } = database;
    if (!pglite || !withPglite) throw new Error('The embedded database has no PGlite session to share.');
    // pg-boss's own PGlite adapter (multi-statement scripts, rolling back a failed one), with every
    // statement taken in turn with Kysely's. No `listen`: workers poll.
    const adapter = fromPglite(pglite);
    const db: PgBossDb = { executeSql: (text, values) => withPglite(() => adapter.executeSql(text, values)) };
    return { db, backend: 'pglite' };
  }
  if (!database.url) throw new Error('The PostgreSQL database has no connection URL for the job queue.');
  return { connectionString: database.url, max: 4, application_name: 'kindred-jobs' };
}

function pickPolicy(options: WorkerOptions): RetryPolicy {
  const { retryLimit, retryDelay, retryBackoff, retryDelayMax, expireInSeconds } = options;
  return Object.fromEntries(
    Object.entries({ retryLimit, retryDelay, retryBackoff, retryDelayMax, expireInSeconds }).filter(
      ([, value]) => value !== undefined,
    ),
  );
}

function scheduleId(name: string, key: string): string {
  return `${name}\u0000${key}`;
}

/** A failed attempt's output as a worker records it: pg-boss serialises an Error's name, message and stack. */
function errorOutput(error: unknown): object {
  return error instanceof Error ? error : { message: String(error) };
}
