/** The warm-path requests of the HTTP benches: alice (seeded by portcullis-server.ts) logging in over IMAP. */
import type { LoadRequest } from './wrk.js';

export const BENCH_PASSWORD = 'bench-password-1';

export const jsonRequest: LoadRequest = {
  method: 'POST',
  path: '/api/v1/auth/json',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ username: 'alice', password: BENCH_PASSWORD, client_ip: '198.51.100.7', protocol: 'imap' }),
};

export const nginxRequest: LoadRequest = {
  method: 'GET',
  path: '/api/v1/auth/nginx',
  headers: { 'Auth-Method': 'plain', 'Auth-User': 'alice', 'Auth-Pass': BENCH_PASSWORD, 'Auth-Protocol': 'imap', 'Client-IP': '198.51.100.7' },
};
