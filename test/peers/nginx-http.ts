// A real nginx HTTP reverse proxy that asks an auth service with auth_request before passing a
// request on (gateway mode for JMAP and *DAV), on loopback.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binary, freePort, makeTempDir, removeTempDir, requirePeers, spawnPeer, tailFile, waitForTcp, whenStarted } from './common.js';

export interface NginxAuthRequestOptions {
  /** The auth endpoint, e.g. http://127.0.0.1:PORT/api/v1/auth/request. */
  authUrl: string;
  /** Where authorised requests go, e.g. http://127.0.0.1:PORT. */
  backendUrl: string;
  /** proxy_set_header lines for the auth subrequest (shared secret, protocol). */
  authHeaders?: Readonly<Record<string, string>>;
}

export interface NginxHttp {
  port: number;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export async function startNginxAuthRequest(opts: NginxAuthRequestOptions): Promise<NginxHttp> {
  requirePeers('nginx');
  const dir = await makeTempDir('nginx-http');
  const port = await freePort();
  const errorLog = join(dir, 'error.log');
  const authHeaders = Object.entries(opts.authHeaders ?? {}).map(([k, v]) => `      proxy_set_header ${k} "${v}";`);
  const conf = [
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${errorLog} info;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    `  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
    '  server {',
    `    listen 127.0.0.1:${port};`,
    '    location / {',
    '      auth_request /_portcullis;',
    '      auth_request_set $portcullis_user $upstream_http_x_portcullis_user;',
    '      auth_request_set $portcullis_challenge $upstream_http_www_authenticate;',
    '      add_header WWW-Authenticate $portcullis_challenge always;',
    '      proxy_set_header X-Authenticated-User $portcullis_user;',
    `      proxy_pass ${opts.backendUrl};`,
    '    }',
    '    location = /_portcullis {',
    '      internal;',
    `      proxy_pass ${opts.authUrl};`,
    '      proxy_pass_request_body off;',
    '      proxy_set_header Content-Length "";',
    '      proxy_set_header X-Real-IP $remote_addr;',
    ...authHeaders,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  const confFile = join(dir, 'nginx.conf');
  await writeFile(confFile, conf);
  const proc = spawnPeer('nginx', binary('nginx'), ['-p', dir, '-c', confFile, '-e', errorLog, '-g', 'daemon off;'], { logFile: join(dir, 'stderr.log') });
  await whenStarted(proc, dir, () => waitForTcp(proc, port, 10_000, errorLog));
  return {
    port,
    logTail: (lines) => [proc.logTail(lines), tailFile(errorLog, lines)].filter(Boolean).join('\n'),
    async stop() {
      await proc.stop();
      await removeTempDir(dir);
    },
  };
}
