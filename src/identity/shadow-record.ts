/**
 * Shadow records: a local user that stands for an account of an upstream backend, so that app
 * passwords (which live in Portcullis) have a user to hang on. Its password "hash" is a marker
 * naming the backend, like OpenLDAP's `{SASL}user@realm` pass-through: no primary password is
 * ever verified locally for it (the hasher does not know the scheme and answers "no").
 */

const PREFIX = '{UPSTREAM}';

export function shadowMarker(backend: string): string {
  return `${PREFIX}${backend}`;
}

/** The backend a record shadows, or null for an ordinary local user. */
export function shadowBackendOf(passwordHash: string | null): string | null {
  return passwordHash?.startsWith(PREFIX) ? passwordHash.slice(PREFIX.length) : null;
}

export function isShadowRecord(user: { passwordHash: string | null }): boolean {
  return shadowBackendOf(user.passwordHash) !== null;
}
