import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { startServer } from '../../platform/server.js';

export const startCommand: Command = {
  name: ['start'],
  usage: 'start [--demo]',
  summary:
    'Run Kindred: apply migrations, load the demo region when --demo and the database is empty, serve.',
  async run(args, baseConfig, io) {
    const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false } } });
    const config = { ...baseConfig, demo: baseConfig.demo || Boolean(values.demo) };
    const server = await startServer(config, {
      onDatabaseReady: async (database, readyConfig) => {
        if (!readyConfig.demo) return;
        const { seedDemoIfEmpty, printDemoSignIn } = await import('./seed-demo.js');
        if (!(await seedDemoIfEmpty(database, readyConfig, io))) printDemoSignIn(io);
      },
    });
    io.out(
      `Kindred is running at ${server.url} (database: ${server.database.kind} ${server.database.location}). Sign in at ${server.url}/sign-in`,
    );
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string): void => {
        io.out(`${signal} received: finishing requests in progress, then stopping.`);
        server.stop().then(resolve, resolve);
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
    return 0;
  },
};
