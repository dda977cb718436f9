// Liveness and readiness for load balancers and the startup benchmark.
import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../app.js';
import { databaseIsReady } from '../db/client.js';

export function registerHealthRoutes(app: FastifyInstance, context: ModuleContext): void {
  app.get('/health', { config: { access: { public: true } } }, async () => ({ status: 'ok' }));

  app.get('/health/ready', { config: { access: { public: true } } }, async (_request, reply) => {
    const ready = await databaseIsReady(context.db);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', database: ready ? 'ok' : 'unreachable' });
  });
}
