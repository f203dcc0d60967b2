/**
 * The UI's files, served by Portcullis itself: the pages and assets of web/ and the ESM builds of
 * preact and htm from node_modules, read once at start-up and answered from memory. Only files
 * found at start-up exist, so no request path ever reaches the file system.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http/errors.js';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function asset(body: Buffer, ext: string): Asset {
  return { body, type: TYPES[ext] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Vendor modules: hooks imports the bare name "preact", which a browser without an import map cannot resolve. */
function vendorAssets(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const preactDir = dirname(require.resolve('preact'));
  const hooksDir = dirname(require.resolve('preact/hooks'));
  const htmDir = dirname(require.resolve('htm'));
  const hooks = readFileSync(join(hooksDir, 'hooks.mjs'), 'utf8').replace(/from\s*["']preact["']/g, 'from"./preact.mjs"');
  return new Map([
    ['/ui/vendor/preact.mjs', asset(readFileSync(join(preactDir, 'preact.mjs')), '.mjs')],
    ['/ui/vendor/hooks.mjs', asset(Buffer.from(hooks), '.mjs')],
    ['/ui/vendor/htm.mjs', asset(readFileSync(join(htmDir, 'htm.mjs')), '.mjs')],
  ]);
}

function walk(dir: string, prefix: string, out: Map<string, Asset>): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`, out);
    else if (TYPES[extname(name)]) out.set(`${prefix}${name}`, asset(readFileSync(path), extname(name)));
  }
}

export function loadAssets(assetsDir: string): Map<string, Asset> {
  const files = new Map<string, Asset>();
  // An install without the web/ folder still serves every API; only the pages are missing.
  if (!existsSync(join(assetsDir, 'ui'))) return files;
  walk(join(assetsDir, 'ui'), '/ui/', files);
  for (const [url, a] of vendorAssets()) files.set(url, a);
  const pages: Array<[string, string]> = [['/self/', 'self.html'], ['/admin/', 'admin.html']];
  for (const [url, file] of pages) files.set(url, asset(readFileSync(join(assetsDir, file)), '.html'));
  return files;
}

export function registerStatic(scope: FastifyInstance, assetsDir: string): void {
  const files = loadAssets(assetsDir);
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    const file = files.get(path);
    if (!file) return sendError(reply, 404, 'not-found', 'no such file');
    // Revalidated on every load (cheap 304s), so an upgrade never leaves a page on old code.
    reply.header('Cache-Control', 'no-cache').header('ETag', file.etag).type(file.type);
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.send(file.body);
  };
  scope.get('/', (_request, reply) => reply.redirect('/self/', 302));
  scope.get('/self', (_request, reply) => reply.redirect('/self/', 301));
  scope.get('/admin', (_request, reply) => reply.redirect('/admin/', 301));
  scope.get('/self/', serve);
  scope.get('/admin/', serve);
  scope.get('/ui/*', serve);
}
