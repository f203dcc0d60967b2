/** The two cookies of the web front end: the session, and the login form's CSRF nonce. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientHttps } from './client-address.js';
import { parseCookies, serializeCookie } from './cookies.js';
import type { WebOptions } from './options.js';

// __Host- cookies must be Secure, with Path=/ and no Domain: the browser then refuses any other origin's copy.
const SESSION_SECURE = '__Host-portcullis_session';
const SESSION_PLAIN = 'portcullis_session';
const LOGIN_NONCE = 'portcullis_login';
const LOGIN_PATH = '/api/web/v1/login';

export class WebCookies {
  constructor(private readonly options: Pick<WebOptions, 'secureCookies' | 'absoluteTimeoutSeconds'>) {}

  secure(request: FastifyRequest): boolean {
    if (this.options.secureCookies === 'always') return true;
    if (this.options.secureCookies === 'never') return false;
    return clientHttps(request);
  }

  sessionValue(request: FastifyRequest): string | undefined {
    const jar = parseCookies(request.headers.cookie);
    return this.secure(request) ? jar.get(SESSION_SECURE) : jar.get(SESSION_PLAIN);
  }

  setSession(request: FastifyRequest, reply: FastifyReply, value: string): void {
    const secure = this.secure(request);
    this.append(reply, serializeCookie(secure ? SESSION_SECURE : SESSION_PLAIN, value, { secure, maxAge: this.options.absoluteTimeoutSeconds }));
  }

  clearSession(request: FastifyRequest, reply: FastifyReply): void {
    const secure = this.secure(request);
    this.append(reply, serializeCookie(secure ? SESSION_SECURE : SESSION_PLAIN, '', { secure, maxAge: 0 }));
  }

  loginNonce(request: FastifyRequest): string | undefined {
    return parseCookies(request.headers.cookie).get(LOGIN_NONCE);
  }

  setLoginNonce(request: FastifyRequest, reply: FastifyReply, nonce: string): void {
    this.append(reply, serializeCookie(LOGIN_NONCE, nonce, { secure: this.secure(request), path: LOGIN_PATH, maxAge: 3600 }));
  }

  clearLoginNonce(request: FastifyRequest, reply: FastifyReply): void {
    this.append(reply, serializeCookie(LOGIN_NONCE, '', { secure: this.secure(request), path: LOGIN_PATH, maxAge: 0 }));
  }

  /** Fastify appends set-cookie values instead of replacing them. */
  private append(reply: FastifyReply, cookie: string): void {
    reply.header('set-cookie', cookie);
  }
}
