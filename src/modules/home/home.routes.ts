// The start page: signed-in staff see their service's overview; everyone else is sent to sign in.
import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';

export async function registerHomeRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  context.navigation.push({ text: 'Home', href: '/', order: 0 });

  app.get('/', { config: { access: { signedIn: true } } }, async (request, reply) => {
    return reply.view('home/views/home.njk', { pageTitle: 'Home', actor: request.actor });
  });

  app.get('/accessibility', { config: { access: { public: true } } }, async (_request, reply) => {
    return reply.view('home/views/accessibility.njk', { pageTitle: 'Accessibility statement' });
  });

  app.get('/privacy', { config: { access: { public: true } } }, async (_request, reply) => {
    return reply.view('home/views/privacy.njk', { pageTitle: 'Privacy notice' });
  });
}
