/** Child process for the HTTP CPU bench: Fastify's own floor, a bare Fastify server answering the same fixed success. */
import Fastify from 'fastify';

const body = { ok: true, account_field: 'uid', attributes: { uid: ['alice'], mail: ['alice@example.org'] } };
const http = Fastify({ logger: false });
http.post('/api/v1/auth/json', (_request, reply) => reply.header('Auth-Status', 'OK').header('Auth-User', 'alice').send(body));
http.get('/api/v1/auth/nginx', (_request, reply) => reply.headers({ 'Auth-Status': 'OK', 'Auth-Server': '127.0.0.1', 'Auth-Port': '143' }).send());
await http.listen({ host: '127.0.0.1', port: 0 });
const address = http.server.address();
process.stdout.write(`${JSON.stringify({ port: address !== null && typeof address === 'object' ? address.port : 0 })}\n`);
process.once('SIGTERM', () => void http.close().then(() => process.exit(0)));
