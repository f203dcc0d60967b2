/** In-process web sessions for the admin and self-service API tests (Fastify inject, no browser). */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

export interface WebSessionClient {
  cookie: string;
  csrf: string;
  call(method: InjectOptions['method'], url: string, payload?: unknown, extra?: { csrf?: string | null; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
}

function cookieNamed(res: LightMyRequestResponse, name: string): string | undefined {
  return [res.headers['set-cookie'] ?? []].flat().map(String).find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

export async function loginToken(http: FastifyInstance): Promise<{ cookie: string; csrf: string }> {
  const res = await http.inject({ method: 'GET', url: '/api/web/v1/login-token' });
  return { cookie: cookieNamed(res, 'portcullis_login') ?? '', csrf: (JSON.parse(res.body) as { csrf: string }).csrf };
}

export async function webLogin(http: FastifyInstance, login: string, password: string): Promise<WebSessionClient> {
  const token = await loginToken(http);
  const res = await http.inject({ method: 'POST', url: '/api/web/v1/login', headers: { cookie: token.cookie, 'x-csrf-token': token.csrf }, payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${login} failed: ${res.statusCode} ${res.body}`);
  return clientFor(http, cookieNamed(res, 'portcullis_session') ?? '', (JSON.parse(res.body) as { csrf: string }).csrf);
}

export function clientFor(http: FastifyInstance, cookie: string, csrf: string): WebSessionClient {
  return {
    cookie,
    csrf,
    call(method, url, payload, extra = {}) {
      const headers: Record<string, string> = { cookie, ...extra.headers };
      const token = extra.csrf === undefined ? csrf : extra.csrf;
      if (token !== null) headers['x-csrf-token'] = token;
      return http.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}) });
    },
  };
}

export const json = (res: LightMyRequestResponse): Record<string, unknown> => JSON.parse(res.body) as Record<string, unknown>;
export { cookieNamed };
