// Conversions for attribute values and passwords, which travel as bytes but are often text.

/** A value as the codec accepts it for encoding: raw bytes, or text sent as UTF-8. */
export type LdapValue = Buffer | string;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The value as bytes (text is encoded as UTF-8). */
export function valueToBuffer(value: LdapValue): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** The value as text; invalid UTF-8 bytes become U+FFFD (fine for names, lossy for secrets). */
export function valueToString(value: LdapValue): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

/**
 * The bytes as text only if they are valid UTF-8, else `undefined`. Use this for passwords:
 * a binary password must not be silently rewritten into a different string.
 */
export function utf8OrUndefined(value: Buffer): string | undefined {
  try {
    return strictUtf8.decode(value);
  } catch {
    return undefined;
  }
}
