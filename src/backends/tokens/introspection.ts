/** RFC 7662 token introspection for opaque tokens, with the issuer's client credentials. */
import type { TrustedIssuer } from '../../identity/model.js';
import type { TokenCheck } from '../local/tokens.js';
import { fetchJson, Unavailable } from './fetch-json.js';

const form = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');

export async function introspect(issuer: TrustedIssuer, token: string, o: { timeoutMs: number; leewaySeconds: number; nowSeconds: number }): Promise<TokenCheck> {
  if (!issuer.introspectionUrl) return { status: 'invalid', detail: `issuer ${issuer.name} has no introspection endpoint` };
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (issuer.clientId) {
    // RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding.
    const basic = Buffer.from(`${form(issuer.clientId)}:${form(issuer.clientSecret ?? '')}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
  let answer: Record<string, unknown>;
  try {
    answer = await fetchJson(issuer.introspectionUrl, { method: 'POST', headers, body: `token=${form(token)}&token_type_hint=access_token`, timeoutMs: o.timeoutMs });
  } catch (err) {
    return { status: 'unavailable', detail: err instanceof Unavailable ? err.message : String(err) };
  }
  if (typeof answer.active !== 'boolean') return { status: 'unavailable', detail: `introspection at ${issuer.name} answered without "active"` };
  if (!answer.active) return { status: 'invalid', detail: `${issuer.name}: token not active` };
  if (typeof answer.exp === 'number' && answer.exp + o.leewaySeconds <= o.nowSeconds) return { status: 'invalid', detail: `${issuer.name}: token expired` };
  if (typeof answer.nbf === 'number' && answer.nbf - o.leewaySeconds > o.nowSeconds) return { status: 'invalid', detail: `${issuer.name}: token not yet valid` };
  if (answer.iss !== undefined && answer.iss !== issuer.issuer) return { status: 'invalid', detail: `${issuer.name}: token from another issuer` };
  if (issuer.audiences.length > 0 && answer.aud !== undefined) {
    const aud = Array.isArray(answer.aud) ? answer.aud : [answer.aud];
    if (!aud.some((a) => typeof a === 'string' && issuer.audiences.includes(a))) return { status: 'invalid', detail: `${issuer.name}: wrong audience` };
  }
  // RFC 7662 names the resource owner `username`; the issuer's claim wins when present.
  const name = answer[issuer.accountClaim] ?? answer.username;
  if (typeof name !== 'string' || name === '') return { status: 'invalid', detail: `${issuer.name}: no ${issuer.accountClaim} in the introspection answer` };
  return { status: 'valid', accountName: name, issuer: issuer.issuer };
}
