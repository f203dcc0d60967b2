/** PasswordHasher: argon2id hashing, verification of every supported scheme, rehash hints, admission. */
import { randomBytes } from 'node:crypto';
import { Admission } from './admission.js';
import type { AdmissionOptions, RunOptions } from './admission.js';
import { nodeArgon2, OWASP_ARGON2ID, validateArgon2Params } from './argon2id.js';
import type { Argon2Backend, Argon2Params } from './argon2id.js';
import { MalformedHashError, UnsupportedHashError } from './errors.js';
import { parseStoredHash } from './verify.js';
import type { ParsedHash } from './verify.js';

export interface PasswordHasherOptions {
  /** argon2id cost for new hashes and the floor below which stored ones need a rehash. */
  params?: Argon2Params;
  /** An Admission shared with other hashing work, or options for a private one. */
  admission?: Admission | AdmissionOptions;
  /** Injectable argon2 primitive (tests). */
  argon2?: Argon2Backend;
}

export interface VerifyResult {
  ok: boolean;
  /** The stored hash should be replaced by `hash(password)`; act on it only when `ok`. */
  needsRehash: boolean;
  /** Scheme of the stored hash; `none` when there was no hash (unknown user). */
  scheme: string;
  /** Why a stored hash could not be checked; for the log, never shown to the client. */
  error?: UnsupportedHashError | MalformedHashError;
}

export class PasswordHasher {
  readonly params: Readonly<Argon2Params>;
  readonly admission: Admission;
  readonly #argon2: Argon2Backend;
  /** A hash of a random secret, so unknown users cost one real argon2id verification. */
  readonly #dummy: Promise<string>;

  constructor(options: PasswordHasherOptions = {}) {
    this.params = Object.freeze(validateArgon2Params(options.params ?? OWASP_ARGON2ID));
    this.admission = options.admission instanceof Admission ? options.admission : new Admission(options.admission);
    this.#argon2 = options.argon2 ?? nodeArgon2;
    this.#dummy = this.#argon2.hash(randomBytes(24).toString('base64'), this.params);
    // Failures surface through ready() and verify(); avoid an unhandled rejection meanwhile.
    this.#dummy.catch(() => undefined);
  }

  /** Creates a hasher whose dummy hash is already computed. */
  static async create(options: PasswordHasherOptions = {}): Promise<PasswordHasher> {
    const hasher = new PasswordHasher(options);
    await hasher.ready();
    return hasher;
  }

  /** Resolves once start-up work is done; rejects if argon2 cannot hash with these params. */
  async ready(): Promise<void> {
    await this.#dummy;
  }

  /** Hashes with argon2id at the configured cost, through admission. */
  hash(password: string, options: RunOptions = {}): Promise<string> {
    return this.admission.run(() => this.#argon2.hash(password, this.params), options);
  }

  /**
   * Verifies `password` against `stored` (any supported scheme). A null, malformed or
   * unsupported hash still costs one argon2id verification and yields ok:false, so a
   * missing user looks like a wrong password. Rejects only with HashingBusyError or
   * AbortedError from admission.
   */
  verify(stored: string | null, password: string, options: RunOptions = {}): Promise<VerifyResult> {
    return this.admission.run(() => this.#check(stored, password), options);
  }

  async #check(stored: string | null, password: string): Promise<VerifyResult> {
    if (stored === null) return this.#dummyVerify(password, 'none');
    let parsed: ParsedHash;
    try {
      parsed = parseStoredHash(stored, this.#argon2);
    } catch (error) {
      if (error instanceof UnsupportedHashError || error instanceof MalformedHashError) {
        return this.#dummyVerify(password, error.scheme, error);
      }
      throw error;
    }
    let ok: boolean;
    try {
      ok = await parsed.verify(password);
    } catch (cause) {
      // A library refused what the parser accepted: treat it as a broken hash, not an outage.
      const error = new MalformedHashError(parsed.scheme, 'the verifier rejected the stored value');
      error.cause = cause;
      return this.#dummyVerify(password, parsed.scheme, error);
    }
    return { ok, needsRehash: parsed.needsRehash(this.params), scheme: parsed.scheme };
  }

  async #dummyVerify(password: string, scheme: string, error?: UnsupportedHashError | MalformedHashError): Promise<VerifyResult> {
    await this.#argon2.verify(await this.#dummy, password);
    return error ? { ok: false, needsRehash: false, scheme, error } : { ok: false, needsRehash: false, scheme };
  }
}
