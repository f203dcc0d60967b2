/**
 * An example customer backend: users from a small JSON file (or inline in the configuration),
 * passwords stored as scrypt hashes. Copy it, replace `loadUsers` and `checkPassword` with calls to
 * your own system, and keep the rules: return `{ ok: false }` for a wrong password, throw when you
 * cannot decide (your system is down) — Portcullis then answers "temporary failure", never
 * "wrong password".
 *
 * Configuration:
 *   backends:
 *     order: [local, staff]
 *     upstreams:
 *       - name: staff
 *         type: module
 *         module: ./examples/custom-backend/backend.ts   # a .js file in production
 *         options: { file: /etc/portcullis/staff.json }
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { BackendAccount, BackendFactory, CustomerBackend, VerifyResult } from '../../src/backends/index.js';

export interface ExampleUser extends BackendAccount {
  /** `scrypt$<salt hex>$<hash hex>`, made with hashPassword(). */
  passwordHash: string;
}

/** Makes a stored hash for the user list: `node -e "…hashPassword('…')"`. */
export function hashPassword(password: string, salt = randomBytes(16)): string {
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32).toString('hex')}`;
}

function checkPassword(stored: string, password: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = scryptSync(password, Buffer.from(salt, 'hex'), expected.length);
  return timingSafeEqual(expected, actual);
}

export const createBackend: BackendFactory = async (options, env) => {
  const file = typeof options.file === 'string' ? options.file : null;
  const inline = Array.isArray(options.users) ? (options.users as ExampleUser[]) : null;
  if (!file && !inline) throw new Error('set options.file (a JSON list of users) or options.users');

  // Re-read on each call: edits to the file apply at once. A real backend would call its service here.
  const loadUsers = async (): Promise<ExampleUser[]> => (inline ?? (JSON.parse(await readFile(file ?? '', 'utf8')) as ExampleUser[]));
  const find = async (login: string): Promise<ExampleUser | undefined> => {
    const key = login.trim().toLowerCase();
    return (await loadUsers()).find((u) => u.login === key || u.mail === key || (u.aliases ?? []).includes(key));
  };
  const publicPart = ({ passwordHash: _hash, ...account }: ExampleUser): BackendAccount => account;

  const backend: CustomerBackend = {
    async verify(login, password): Promise<VerifyResult> {
      const user = await find(login);
      if (!user) return { ok: false, reason: 'unknown-user' }; // the next backend in the chain is asked
      if (!checkPassword(user.passwordHash, password)) return { ok: false, account: publicPart(user) };
      return { ok: true, account: publicPart(user) };
    },
    async lookup(login) {
      const user = await find(login);
      return user ? publicPart(user) : null;
    },
    async list({ query, limit }) {
      const q = query?.toLowerCase();
      const users = (await loadUsers()).filter((u) => !q || u.login.includes(q) || (u.mail ?? '').includes(q));
      return users.slice(0, limit).map(publicPart);
    },
  };
  env.log.info({ event: 'example-backend.ready', source: file ?? 'inline' }, 'example backend ready');
  return backend;
};
