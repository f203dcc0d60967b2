// The admin UI: sign-in, then a sidebar of pages routed by the URL hash.
import { useEffect, useState } from './vendor/hooks.mjs';
import { html, render, setCsrf, TopBar, whenUnauthorized } from './lib.js';
import { currentSession, Login } from './login.js';
import { Audit } from './audit.js';
import { Dashboard } from './dashboard.js';
import { Domains } from './domains.js';
import { Groups } from './groups.js';
import { Guard } from './guard.js';
import { Issuers } from './issuers.js';
import { ServiceAccounts } from './service-accounts.js';
import { Users } from './users.js';

const PAGES = [
  ['dashboard', 'Dashboard', Dashboard], ['users', 'Users', Users], ['groups', 'Groups', Groups], ['domains', 'Domains', Domains],
  ['service-accounts', 'Service accounts', ServiceAccounts], ['issuers', 'Token issuers', Issuers], ['guard', 'Bans & allow-list', Guard], ['audit', 'Audit log', Audit],
];

function parseHash() {
  const [name, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { name: PAGES.some(([n]) => n === name) ? name : 'dashboard', params: Object.fromEntries(new URLSearchParams(query)) };
}

function AdminApp() {
  const [session, setSession] = useState(undefined);
  const [notice, setNotice] = useState(null);
  const [route, setRoute] = useState(parseHash());
  const adopt = (s) => { setCsrf(s?.csrf ?? null); setSession(s); };
  useEffect(() => {
    whenUnauthorized((e) => { setNotice(e.message); adopt(null); });
    currentSession().then(adopt, () => adopt(null));
    const onHash = () => setRoute(parseHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (session === undefined) return html`<p class="page muted">Loading…</p>`;
  if (session === null) return html`<${Login} title="Administration" notice=${notice} onLogin=${(s) => { setNotice(null); adopt(s); }} />`;
  if (!session.adminRole) {
    return html`<${TopBar} session=${session} next="admin" title="Administration" /><main class="page"><div class="card"><h1>No access</h1>
      <p>Your account has no admin role. Your own settings are on <a href="/self/">your account page</a>.</p></div></main>`;
  }
  const go = (name, params = {}) => { location.hash = `#/${name}${Object.keys(params).length ? `?${new URLSearchParams(params)}` : ''}`; };
  const [, , Page] = PAGES.find(([n]) => n === route.name);
  return html`<${TopBar} session=${session} next="admin" title="Administration" />
    <div class="shell"><nav class="nav">${PAGES.map(([name, label]) => html`<a href=${`#/${name}`} class=${route.name === name ? 'active' : ''}>${label}</a>`)}
      <a href="/self/">My account</a></nav>
      <main class="main"><${Page} key=${route.name + JSON.stringify(route.params)} session=${session} params=${route.params} go=${go} /></main></div>`;
}

render(html`<${AdminApp} />`, document.getElementById('app'));
