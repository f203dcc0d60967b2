/** What a new password must satisfy: a minimum length and absence from a breached-password list. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ValidationError } from './validate.js';

export class PasswordPolicyError extends ValidationError {}

export class PasswordPolicy {
  private readonly breached: Set<string>;

  constructor(
    private readonly minLength = 10,
    breachedListFile?: string,
  ) {
    this.breached = breachedListFile ? loadBreachedList(breachedListFile) : new Set();
  }

  /** Throws with a message that names the rule, never the password. */
  check(password: string, login: string): void {
    const fail = (expected: string): never => {
      throw new PasswordPolicyError('password', '(hidden)', expected);
    };
    if ([...password].length < this.minLength) fail(`expected at least ${this.minLength} characters`);
    if (password.length > 1024) fail('expected at most 1024 characters');
    if (password.toLowerCase() === login.toLowerCase()) fail('must not be the login name');
    if (this.breached.size > 0 && this.breached.has(sha1(password))) fail('this password appears in a list of breached passwords; choose another');
  }
}

/** One password per line, or its SHA-1 in hex (as in the HIBP downloads, with an optional :count). */
function loadBreachedList(file: string): Set<string> {
  const set = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const entry = line.trim();
    if (!entry) continue;
    const hex = entry.split(':')[0] ?? '';
    set.add(/^[0-9a-fA-F]{40}$/.test(hex) ? hex.toUpperCase() : sha1(entry));
  }
  return set;
}

function sha1(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();
}
