/**
 * Who may call the HTTP APIs: configured callers, each with an API key, the endpoint groups it may
 * use and optionally its networks. Keys are compared in constant time, against every caller.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Config } from '../../config/schema.js';
import type { HttpEndpoint } from '../../config/sections/http.js';
import { parseAuthorization } from './credentials.js';
import { sendError } from './errors.js';
import { connectionOf } from './connection.js';
import { blockListOf, inBlockList } from './net.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller's name ('loopback' in keyless demo mode); null before the check. */
    caller: string | null;
  }
}

interface KnownCaller {
  name: string;
  digest: Buffer;
  endpoints: ReadonlySet<HttpEndpoint>;
  networks: BlockList | null;
}

export interface CallerRule {
  /** Any of these groups grants access. */
  endpoints: readonly HttpEndpoint[];
  /** The Authorization header carries the user's credentials (OpenCloud /auth): never a caller key. */
  authorizationIsUsers?: boolean;
}

export type CallerVerdict = { ok: true; caller: string } | { ok: false; status: 401 | 403; code: string; message: string };

const LOOPBACK: CallerVerdict = { ok: true, caller: 'loopback' };

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

export class CallerAuth {
  private readonly callers: KnownCaller[];
  private readonly secretHeader: string;

  constructor(private readonly http: Config['http']) {
    this.secretHeader = http.nginxSecretHeader.toLowerCase();
    this.callers = http.callers.map((c) => ({
      name: c.name,
      digest: digest(c.apiKey),
      endpoints: new Set(c.endpoints),
      networks: c.networks && c.networks.length > 0 ? blockListOf(c.networks) : null,
    }));
  }

  check(request: FastifyRequest, rule: CallerRule): CallerVerdict {
    const { peer, loopback } = connectionOf(request.socket);
    if (this.callers.length === 0) {
      if (this.http.allowLoopbackWithoutKey && loopback) return LOOPBACK;
      return { ok: false, status: 401, code: 'caller-not-allowed', message: 'no API callers are configured; only loopback may call without a key' };
    }
    const keys = this.presentedKeys(request, rule);
    if (keys.length === 0) return { ok: false, status: 401, code: 'api-key-required', message: 'an API key is required' };
    const caller = this.match(keys);
    if (!caller) return { ok: false, status: 401, code: 'invalid-api-key', message: 'the API key is not valid' };
    if (caller.networks && (peer === null || !inBlockList(caller.networks, peer))) {
      return { ok: false, status: 403, code: 'network-not-allowed', message: `caller ${caller.name} may not call from this address` };
    }
    if (!rule.endpoints.some((e) => caller.endpoints.has(e))) {
      return { ok: false, status: 403, code: 'endpoint-not-allowed', message: `caller ${caller.name} may not use this endpoint` };
    }
    return { ok: true, caller: caller.name };
  }

  private presentedKeys(request: FastifyRequest, rule: CallerRule): string[] {
    const keys: string[] = [];
    for (const name of [this.secretHeader, 'x-api-key']) {
      const value = request.headers[name];
      if (typeof value === 'string' && value !== '') keys.push(value);
    }
    if (!rule.authorizationIsUsers) {
      const auth = parseAuthorization(request.headers.authorization);
      if (auth.kind === 'bearer') keys.push(auth.token);
      if (auth.kind === 'basic') keys.push(auth.password);
    }
    return keys;
  }

  /** Every key is compared with every caller, so timing says nothing about which part matched. */
  private match(keys: string[]): KnownCaller | null {
    let found: KnownCaller | null = null;
    for (const key of keys) {
      const presented = digest(key);
      for (const caller of this.callers) {
        if (timingSafeEqual(presented, caller.digest) && found === null) found = caller;
      }
    }
    return found;
  }
}

/**
 * A Fastify preHandler that admits only callers allowed by the rule. A callback hook, not an async
 * one: it runs on every auth request and has nothing to wait for. A refused caller is answered here
 * and `done` is not called, so the route's handler never runs.
 */
export function requireCaller(auth: CallerAuth, rule: CallerRule) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const verdict = auth.check(request, rule);
    if (verdict.ok) {
      request.caller = verdict.caller;
      done();
      return;
    }
    if (verdict.status === 401) reply.header('WWW-Authenticate', 'Basic realm="portcullis"');
    void sendError(reply, verdict.status, verdict.code, verdict.message);
  };
}
