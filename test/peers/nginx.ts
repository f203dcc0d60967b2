// A real nginx mail proxy (IMAP, POP3, SMTP) that asks an auth_http server, on loopback.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binary, freePort, makeTempDir, removeTempDir, requirePeers, spawnPeer, whenStarted, tailFile, waitForTcp } from './common.js';

const MAIL_MODULE = '/usr/lib/nginx/modules/ngx_mail_module.so';

export type MailProtocol = 'imap' | 'pop3' | 'smtp';

export interface NginxMailOptions {
  /** auth_http target: "http://127.0.0.1:PORT/path" or nginx's own "127.0.0.1:PORT/path". */
  authHttp: string;
  /** auth_http_header lines; names with "_" are rejected by nginx (CONTRACTS.md §10). */
  authHttpHeaders?: Readonly<Record<string, string>>;
  /** Default all three. */
  protocols?: readonly MailProtocol[];
  /** smtp_auth methods. Default "plain login". */
  smtpAuth?: string;
  /** XCLIENT towards the SMTP backend. Default off. */
  xclient?: boolean;
  /** imap_auth / pop3_auth methods. Default "plain" (for POP3 that also allows USER/PASS). */
  imapAuth?: string;
  pop3Auth?: string;
  /** Show the auth server's Auth-Status text to clients. Default true. */
  proxyPassErrorMessage?: boolean;
  /** auth_http_timeout, e.g. "5s". */
  authHttpTimeout?: string;
  /** Extra lines inside mail { }. */
  extraMailConfig?: string;
  /** error_log level. Default "info" (logs each auth_http exchange outcome). */
  logLevel?: string;
  startTimeoutMs?: number;
}

export interface NginxMail {
  /** Ports of the enabled protocols; undefined for a disabled one. */
  imapPort: number | undefined;
  pop3Port: number | undefined;
  smtpPort: number | undefined;
  dir: string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

function serverBlock(protocol: MailProtocol, port: number, o: NginxMailOptions): string {
  const extra: Record<MailProtocol, string> = {
    imap: `imap_auth ${o.imapAuth ?? 'plain'};`,
    pop3: `pop3_auth ${o.pop3Auth ?? 'plain'};`,
    smtp: `smtp_auth ${o.smtpAuth ?? 'plain login'}; xclient ${o.xclient === true ? 'on' : 'off'};`,
  };
  return `  server {\n    listen 127.0.0.1:${port};\n    protocol ${protocol};\n    ${extra[protocol]}\n  }`;
}

/** Starts nginx with the mail module in the foreground and waits for every listener. */
export async function startNginxMail(opts: NginxMailOptions): Promise<NginxMail> {
  requirePeers('nginx');
  const dir = await makeTempDir('nginx');
  const protocols = opts.protocols ?? ['imap', 'pop3', 'smtp'];
  const ports = new Map<MailProtocol, number>();
  for (const p of protocols) ports.set(p, await freePort());
  const errorLog = join(dir, 'error.log');
  const headers = Object.entries(opts.authHttpHeaders ?? {}).map(([k, v]) => `  auth_http_header ${k} "${v}";`);
  const conf = [
    `load_module ${MAIL_MODULE};`,
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${errorLog} ${opts.logLevel ?? 'info'};`,
    'events { worker_connections 256; }',
    'mail {',
    // nginx wants host:port/path without the scheme
    `  auth_http ${opts.authHttp.replace(/^http:\/\//, '')};`,
    ...headers,
    opts.authHttpTimeout === undefined ? '' : `  auth_http_timeout ${opts.authHttpTimeout};`,
    `  proxy_pass_error_message ${opts.proxyPassErrorMessage === false ? 'off' : 'on'};`,
    opts.extraMailConfig ?? '',
    ...[...ports].map(([p, port]) => serverBlock(p, port, opts)),
    '}',
    '',
  ].join('\n');
  const confFile = join(dir, 'nginx.conf');
  await writeFile(confFile, conf);

  // -e: the start-up error log, which otherwise goes to /var/log/nginx before the config is read.
  const args = ['-p', dir, '-c', confFile, '-e', errorLog, '-g', 'daemon off;'];
  const proc = spawnPeer('nginx', binary('nginx'), args, { logFile: join(dir, 'stderr.log') });
  await whenStarted(proc, dir, async () => {
    for (const port of ports.values()) await waitForTcp(proc, port, opts.startTimeoutMs ?? 10_000, errorLog);
  });
  return {
    imapPort: ports.get('imap'),
    pop3Port: ports.get('pop3'),
    smtpPort: ports.get('smtp'),
    dir,
    logTail: (lines) => [proc.logTail(lines), tailFile(errorLog, lines)].filter(Boolean).join('\n'),
    async stop() {
      await proc.stop();
      await removeTempDir(dir);
    },
  };
}
