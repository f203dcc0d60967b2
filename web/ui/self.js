// The self-service page: application passwords (create, shown once, revoke), recent sign-ins,
// and a password change.
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, ago, api, html, render, setCsrf, TopBar, when, whenUnauthorized } from './lib.js';
import { currentSession, Login } from './login.js';

const SCOPES = [
  ['imap', 'IMAP (read mail)'], ['smtp', 'SMTP (send mail)'], ['pop3', 'POP3'], ['jmap', 'JMAP'],
  ['dav', 'CalDAV / CardDAV'], ['sieve', 'Sieve filters'], ['ldap', 'LDAP'], ['http', 'HTTP'],
];

function CreatedSecret({ created, onDone }) {
  const [copied, setCopied] = useState(false);
  const copy = () => navigator.clipboard.writeText(created.secret).then(() => setCopied(true), () => setCopied(false));
  return html`<div class="secret" id="new-secret">
    <div class="grow"><strong>${created.appPassword.name}</strong><div class="small muted">Type this into the app instead of your password. It is shown only now.</div></div>
    <code id="secret-value">${created.secret}</code>
    <button type="button" onClick=${copy}>${copied ? 'Copied' : 'Copy'}</button>
    <button type="button" class="primary" onClick=${onDone}>Done</button>
  </div>`;
}

function AppPasswords() {
  const [list, setList] = useState(null);
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api('GET', '/api/self/v1/app-passwords').then(setList).catch((e) => setError(e.message));
  useEffect(() => { load(); }, []);

  async function create(event) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const scopes = form.getAll('scope').map(String);
    const days = Number(form.get('expires'));
    setError(null);
    if (scopes.length === 0) return setError('Choose at least one protocol.');
    try {
      const answer = await api('POST', '/api/self/v1/app-passwords', { name: String(form.get('name')).trim(), scopes, expiresInDays: days > 0 ? days : null });
      setCreated(answer);
      formEl.reset();
      load();
    } catch (e) { setError(e.message); }
  }

  async function revoke(ap) {
    if (!confirm(`Revoke "${ap.name}"? Apps using it will stop working.`)) return;
    try { await api('DELETE', `/api/self/v1/app-passwords/${encodeURIComponent(ap.id)}`); load(); } catch (e) { setError(e.message); }
  }

  return html`<section class="card" id="app-passwords">
    <header><h2>Application passwords</h2><span class="muted small">for mail, calendar and contacts apps</span></header>
    <${Alert} error=${error} />
    ${created && html`<${CreatedSecret} created=${created} onDone=${() => setCreated(null)} />`}
    ${list === null ? html`<p class="muted">Loading…</p>` : list.length === 0 ? html`<p class="empty">No application passwords yet.</p>` : html`
    <table><thead><tr><th>Name</th><th>Protocols</th><th>Created</th><th>Expires</th><th>Last used</th><th></th></tr></thead>
      <tbody>${list.map((ap) => html`<tr key=${ap.id} data-name=${ap.name}>
        <td><strong>${ap.name}</strong></td>
        <td>${ap.scopes.map((s) => html`<span class="badge info">${s}</span>`)}</td>
        <td class="small">${when(ap.createdAt)}</td>
        <td class="small">${ap.expiresAt ? when(ap.expiresAt) : 'never'}</td>
        <td class="small">${ap.lastUsedAt ? html`${ago(ap.lastUsedAt)}<div class="muted">${ap.lastUsedProtocol} · ${ap.lastUsedIp ?? 'unknown address'}</div>` : html`<span class="muted">never</span>`}</td>
        <td class="num"><button class="danger small" onClick=${() => revoke(ap)}>Revoke</button></td>
      </tr>`)}</tbody></table>`}
    <form onSubmit=${create} id="new-app-password">
      <h3>New application password</h3>
      <div class="row">
        <div class="grow"><label for="ap-name">Name</label><input id="ap-name" name="name" type="text" required maxlength="128" placeholder="Thunderbird on laptop" /></div>
        <div><label for="ap-expires">Expires</label><select id="ap-expires" name="expires">
          <option value="0">never</option><option value="30">in 30 days</option><option value="90">in 90 days</option><option value="365">in a year</option></select></div>
      </div>
      <div class="field"><label>Protocols</label><div class="checks">${SCOPES.map(([value, label]) => html`
        <label><input type="checkbox" name="scope" value=${value} checked=${value === 'imap' || value === 'smtp'} />${label}</label>`)}</div></div>
      <button class="primary" type="submit">Create</button>
    </form>
  </section>`;
}

function RecentLogins() {
  const [list, setList] = useState(null);
  useEffect(() => { api('GET', '/api/self/v1/logins?limit=20').then(setList).catch(() => setList([])); }, []);
  return html`<section class="card" id="recent-logins">
    <header><h2>Recent sign-ins</h2><span class="muted small">where your account was used</span></header>
    ${list === null ? html`<p class="muted">Loading…</p>` : list.length === 0 ? html`<p class="empty">No sign-ins recorded yet.</p>` : html`
    <table><thead><tr><th>When</th><th>How</th><th>From</th><th>Result</th></tr></thead>
      <tbody>${list.map((r) => html`<tr>
        <td class="small">${when(r.at)}</td>
        <td><span class="badge">${r.protocol}</span><span class="small muted">${r.success ? r.detail.replace('-', ' ') : ''}</span></td>
        <td class="mono small">${r.clientIp ?? '—'}</td>
        <td>${r.success ? html`<span class="badge ok">signed in</span>` : html`<span class="badge bad">refused</span><span class="small muted">${r.detail.replace(/-/g, ' ')}</span>`}</td>
      </tr>`)}</tbody></table>`}
  </section>`;
}

function ChangePassword({ onChanged }) {
  const [error, setError] = useState(null);
  const [success, setSuccess] = useState(null);
  async function submit(event) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    setError(null); setSuccess(null);
    if (form.get('new') !== form.get('confirm')) return setError('The new passwords do not match.');
    try {
      const session = await api('POST', '/api/self/v1/password', { currentPassword: String(form.get('current')), newPassword: String(form.get('new')) });
      formEl.reset();
      onChanged(session);
      setSuccess('Your password was changed. You were signed out everywhere else.');
    } catch (e) { setError(e.message); }
  }
  return html`<section class="card" id="change-password">
    <header><h2>Change password</h2></header>
    <${Alert} error=${error} success=${success} />
    <form onSubmit=${submit}>
      <div class="field"><label for="pw-current">Current password</label><input id="pw-current" name="current" type="password" autocomplete="current-password" required maxlength="1024" /></div>
      <div class="row">
        <div class="grow"><label for="pw-new">New password</label><input id="pw-new" name="new" type="password" autocomplete="new-password" required maxlength="1024" /></div>
        <div class="grow"><label for="pw-confirm">Repeat it</label><input id="pw-confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="1024" /></div>
      </div>
      <button class="primary" type="submit">Change password</button>
    </form>
  </section>`;
}

function SelfApp() {
  const [session, setSession] = useState(undefined);
  const [notice, setNotice] = useState(null);
  const adopt = (s) => { setCsrf(s?.csrf ?? null); setSession(s); };
  useEffect(() => {
    whenUnauthorized((e) => { setNotice(e.message); adopt(null); });
    currentSession().then(adopt, () => adopt(null));
  }, []);
  if (session === undefined) return html`<p class="page muted">Loading…</p>`;
  if (session === null) return html`<${Login} title="Your account" notice=${notice} onLogin=${(s) => { setNotice(null); adopt(s); }} />`;
  return html`<${TopBar} session=${session} next="self" title="Your account" />
    <main class="page">
      <h1>Hello, ${session.user.displayName}</h1>
      <p class="muted">${session.user.mail}</p>
      <${AppPasswords} />
      <div class="grid two"><${RecentLogins} /><${ChangePassword} onChanged=${adopt} /></div>
    </main>`;
}

render(html`<${SelfApp} />`, document.getElementById('app'));
