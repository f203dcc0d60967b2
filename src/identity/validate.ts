/** Input rules for identities: each failure names the field and the value, so a user knows what to fix. */
import { PROTOCOLS } from './model.js';

export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`${field} "${truncate(value)}" is invalid: ${expected}`);
    this.name = 'ValidationError';
  }
}

function truncate(value: string): string {
  const printable = value.replace(/[\x00-\x1f\x7f]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 77)}...` : printable;
}

const LOGIN = /^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const MAIL_LOCAL = /^[a-z0-9!#$&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$&'*+/=?^_`{|}~-]+)*$/;
const ROLE = /^[a-z][a-z0-9_-]{0,63}$/;

export function normalizeLogin(value: string, field = 'login'): string {
  const login = value.trim().toLowerCase();
  if (!LOGIN.test(login)) {
    throw new ValidationError(field, value, 'expected 1-64 characters of a-z, 0-9 and . _ + - (starting and ending with a letter or digit)');
  }
  return login;
}

export function normalizeDomain(value: string, field = 'domain'): string {
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) {
    throw new ValidationError(field, value, 'expected a domain name such as example.org');
  }
  return domain;
}

/** A mail address, lowercased; the domain part must be a valid domain name. */
export function normalizeAddress(value: string, field = 'mail'): string {
  const address = value.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  if (at < 1 || address.length > 254 || local.length > 64 || !MAIL_LOCAL.test(local)) {
    throw new ValidationError(field, value, 'expected a mail address such as alice@example.org');
  }
  normalizeDomain(address.slice(at + 1), field);
  return address;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

export function normalizeDisplayName(value: string, field = 'displayName'): string {
  const name = value.trim().normalize('NFC');
  if (name.length === 0 || name.length > 256 || /[\x00-\x1f\x7f]/.test(name)) {
    throw new ValidationError(field, value, 'expected 1-256 printable characters');
  }
  return name;
}

export function normalizeDescription(value: string, field = 'description'): string {
  const text = value.trim().normalize('NFC');
  if (text.length > 1024 || /[\x00-\x08\x0b-\x1f\x7f]/.test(text)) {
    throw new ValidationError(field, value, 'expected at most 1024 printable characters');
  }
  return text;
}

export function normalizeRoles(values: string[], field = 'roles'): string[] {
  const roles = [...new Set(values.map((r) => r.trim().toLowerCase()))];
  for (const role of roles) if (!ROLE.test(role)) throw new ValidationError(field, role, 'expected a role name of a-z, 0-9, _ and -');
  return roles.sort();
}

export function normalizeName(value: string, field: string): string {
  return normalizeLogin(value, field);
}

export function normalizeScopes(values: string[], allowed: readonly string[], field = 'scopes'): string[] {
  const scopes = [...new Set(values.map((s) => s.trim().toLowerCase()))];
  if (scopes.length === 0) throw new ValidationError(field, '', `expected at least one of ${allowed.join(', ')}`);
  for (const scope of scopes) {
    if (!allowed.includes(scope)) throw new ValidationError(field, scope, `expected one of ${allowed.join(', ')}`);
  }
  return scopes.sort();
}

export function isProtocol(value: string): value is (typeof PROTOCOLS)[number] {
  return (PROTOCOLS as readonly string[]).includes(value);
}
