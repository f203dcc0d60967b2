// The self-service page: application passwords (create, shown once, revoke), recent sign-ins,
// where the account is signed in (sign out everywhere else), and a password change.
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, api, html, render, setCsrf, TopBar, when, whenUnauthorized } from './lib.js';
import { AppPasswords } from './app-passwords.js';
import { Sessions } from './sessions.js';
import { currentSession, Login } from './login.js';

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
      <${AppPasswords} base="/api/self/v1/app-passwords" />
      <div class="grid two"><${RecentLogins} /><${ChangePassword} onChanged=${adopt} /></div>
      <${Sessions} />
    </main>`;
}

render(html`<${SelfApp} />`, document.getElementById('app'));
