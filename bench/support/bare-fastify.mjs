// The baseline for bench/startup: a bare Fastify server with one health route, started the
// same way as Kindred (a fresh Node process), so the ratio shows what Kindred itself adds.
import Fastify from 'fastify';

const app = Fastify();
app.get('/health/ready', async () => ({ status: 'ready' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
