// Shared pieces of the Portcullis pages: preact + htm, the API client (CSRF header on every
// change), formatting. Text is always rendered as text by preact: never innerHTML.
import { h, render } from './vendor/preact.mjs';
import htm from './vendor/htm.mjs';

export const html = htm.bind(h);
export { render };

let csrfToken = null;
let onUnauthorized = () => {};

export function setCsrf(token) { csrfToken = token; }
export function whenUnauthorized(fn) { onUnauthorized = fn; }

export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export async function api(method, url, body, { csrf } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = csrf ?? csrfToken;
  if (method !== 'GET' && token) headers['X-CSRF-Token'] = token;
  const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new ApiError(res.status, data?.error ?? 'error', data?.message ?? `the request failed (${res.status})`);
    if (res.status === 401 && !url.endsWith('/login')) onUnauthorized(err);
    throw err;
  }
  return data;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function when(iso) { return iso ? dateTime.format(new Date(iso)) : '—'; }

export function ago(iso) {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return when(iso);
}

export function until(iso) {
  if (!iso) return 'until lifted';
  const s = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  if (s <= 0) return 'expired';
  if (s < 3600) return `${Math.ceil(s / 60)} min left`;
  if (s < 86400) return `${Math.round(s / 3600)} h left`;
  return `${Math.round(s / 86400)} days left`;
}

export function targetText(t) {
  if (!t) return '';
  if (t.kind === 'ip') return t.ip;
  if (t.kind === 'cidr') return t.cidr;
  if (t.kind === 'login') return t.login;
  return `${t.ip} · ${t.login}`;
}

export function Alert({ error, success }) {
  if (error) return html`<div class="alert error" role="alert">${error}</div>`;
  if (success) return html`<div class="alert success" role="status">${success}</div>`;
  return null;
}

export function TopBar({ session, next, title }) {
  return html`<header class="topbar">
    <div class="brand"><img src="/ui/favicon.svg" alt="" />Portcullis <span class="muted-light">${title}</span></div>
    <div class="spacer"></div>
    ${session && html`<span class="who">${session.user.displayName} · ${session.user.login}${session.adminRole && html`<span class="role">${session.adminRole}</span>`}</span>
      <form method="post" action="/api/web/v1/logout">
        <input type="hidden" name="_csrf" value=${session.csrf} />
        <input type="hidden" name="next" value=${next} />
        <button type="submit" class="small">Sign out</button>
      </form>`}
  </header>`;
}
