/** argon2id hashing with configurable cost, and reading/judging stored argon2 PHC strings. */
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { Algorithm } from '@node-rs/argon2';
import { MalformedHashError } from './errors.js';

/** Cost parameters; memory is per hash, in KiB. */
export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const OWASP_ARGON2ID: Readonly<Argon2Params> = Object.freeze({ memoryKiB: 19456, iterations: 2, parallelism: 1 });

/** What a stored argon2 string says about itself. */
export interface StoredArgon2 extends Argon2Params {
  variant: 'argon2id' | 'argon2i' | 'argon2d';
  /** 19 (0x13) for current hashes, 16 for argon2 1.0 ones without `v=`. */
  version: number;
}

/** The argon2 primitive, injectable so tests can count calls or swap in cheap fakes. */
export interface Argon2Backend {
  hash(password: string, params: Argon2Params): Promise<string>;
  verify(encoded: string, password: string): Promise<boolean>;
}

// Numeric value of Algorithm.Argon2id; the ambient const enum cannot be read under isolatedModules.
const ARGON2ID = 2 as Algorithm;

/** @node-rs/argon2: both calls run on the libuv threadpool, never on the event loop. */
export const nodeArgon2: Argon2Backend = {
  hash: (password, p) =>
    argon2Hash(password, { algorithm: ARGON2ID, memoryCost: p.memoryKiB, timeCost: p.iterations, parallelism: p.parallelism }),
  verify: (encoded, password) => argon2Verify(encoded, password),
};

/** Throws a RangeError naming the first bad option, so configuration errors are caught at start-up. */
export function validateArgon2Params(p: Argon2Params): Argon2Params {
  const check = (name: keyof Argon2Params, min: number, max: number): void => {
    const v = p[name];
    if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`argon2 ${name} must be an integer in ${min}..${max}, got ${v}`);
  };
  check('parallelism', 1, 255);
  check('iterations', 1, 2 ** 32 - 1);
  check('memoryKiB', 8 * p.parallelism, 2 ** 32 - 1);
  return { memoryKiB: p.memoryKiB, iterations: p.iterations, parallelism: p.parallelism };
}

/** Hashes with argon2id; the result is a PHC string `$argon2id$v=19$m=..,t=..,p=..$salt$hash`. */
export function hashArgon2id(password: string, params: Argon2Params = OWASP_ARGON2ID, backend: Argon2Backend = nodeArgon2): Promise<string> {
  return backend.hash(password, validateArgon2Params(params));
}

const PHC_RE = /^\$(argon2id|argon2i|argon2d)\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)(?:,[^$]*)?\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** Reads variant, version and cost from a PHC argon2 string; throws MalformedHashError. */
export function readArgon2(encoded: string): StoredArgon2 {
  const m = PHC_RE.exec(encoded);
  const variant = m?.[1];
  if (!m || (variant !== 'argon2id' && variant !== 'argon2i' && variant !== 'argon2d')) {
    throw new MalformedHashError('argon2', 'not an argon2 PHC string');
  }
  return {
    variant,
    version: m[2] === undefined ? 16 : Number(m[2]),
    memoryKiB: Number(m[3]),
    iterations: Number(m[4]),
    parallelism: Number(m[5]),
  };
}

/**
 * True when the stored hash is weaker than `params`: not argon2id, an old version, or less
 * memory, fewer iterations or fewer lanes. Stronger stored costs are kept, so lowering the
 * configuration does not churn every hash. Unreadable hashes always need a rehash.
 */
export function needsRehash(encoded: string, params: Argon2Params = OWASP_ARGON2ID): boolean {
  let s: StoredArgon2;
  try {
    s = readArgon2(encoded);
  } catch {
    return true;
  }
  return (
    s.variant !== 'argon2id' ||
    s.version < 19 ||
    s.memoryKiB < params.memoryKiB ||
    s.iterations < params.iterations ||
    s.parallelism < params.parallelism
  );
}
