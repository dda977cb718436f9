// Starting and stopping the web server: open the database, migrate, start the job queue, listen,
// and on SIGTERM finish in-flight requests and jobs before closing the database.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ensureDevelopmentSecret, type Config } from './config.js';
import { openConfiguredDatabase, type Database } from './db/client.js';
import { migrate } from './db/migrate.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(
  baseConfig: Config,
  options: { onDatabaseReady?: (database: Database, config: Config) => Promise<void> } = {},
): Promise<RunningServer> {
  const config = ensureDevelopmentSecret(baseConfig);
  const database = await openConfiguredDatabase(config);
  let app: FastifyInstance | undefined;
  try {
    await migrate(database.db);
    await options.onDatabaseReady?.(database, config);
    app = await buildApp({ config, database });
    // After migrations and after every module has registered its workers and schedules. With
    // KINDRED_JOBS=off it only connects, so that jobs can be sent; app.close() stops it.
    await app.jobs.start();
    const address = await app.listen({ port: config.port, host: config.host });
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        await app?.close();
        await database.close();
      })();
      return stopping;
    };
    return { app, database, url: address.replace('127.0.0.1', 'localhost'), stop };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}
