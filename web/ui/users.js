// Users: search, details, enable/disable, password reset, app passwords; create (admin only).
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, ago, api, html, when } from './lib.js';

const enc = encodeURIComponent;

function UserDetail({ login, session, onChanged }) {
  const [user, setUser] = useState(null);
  const [aps, setAps] = useState([]);
  const [msg, setMsg] = useState({});
  const load = () => Promise.all([api('GET', `/api/admin/v1/users/${enc(login)}`), api('GET', `/api/admin/v1/users/${enc(login)}/app-passwords`)])
    .then(([u, a]) => { setUser(u); setAps(a); }).catch((e) => setMsg({ error: e.message }));
  useEffect(() => { setMsg({}); load(); }, [login]);
  if (!user) return html`<section class="card"><${Alert} error=${msg.error} /><p class="muted">Loading…</p></section>`;
  const canHelp = session.adminRole === 'admin' || (session.adminRole === 'helpdesk' && !user.roles.some((r) => ['admin', 'helpdesk', 'auditor'].includes(r)));
  const act = async (fn, success) => { setMsg({}); try { await fn(); setMsg({ success }); await load(); onChanged(); } catch (e) { setMsg({ error: e.message }); } };
  const setEnabled = () => act(() => api('POST', `/api/admin/v1/users/${enc(login)}/enabled`, { enabled: !user.enabled }), user.enabled ? 'Disabled.' : 'Enabled.');
  const resetPassword = (event) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const password = String(new FormData(formEl).get('password'));
    act(() => api('POST', `/api/admin/v1/users/${enc(login)}/password`, { password }).then(() => formEl.reset()), 'Password set. The user was signed out of the web pages.');
  };
  const saveRoles = (event) => {
    event.preventDefault();
    const roles = new FormData(event.currentTarget).getAll('role').map(String);
    act(() => api('PATCH', `/api/admin/v1/users/${enc(login)}`, { roles }), 'Roles saved.');
  };
  const revoke = (ap) => act(() => api('DELETE', `/api/admin/v1/users/${enc(login)}/app-passwords/${enc(ap.id)}`), `Revoked "${ap.name}".`);
  return html`<section class="card" id="user-detail">
    <header><div><h2>${user.displayName}</h2><div class="muted small">${user.login} · ${user.mail}</div></div>
      ${user.enabled ? html`<span class="badge ok">enabled</span>` : html`<span class="badge bad">disabled</span>`}</header>
    <${Alert} ...${msg} />
    <p class="small">${user.aliases.length ? html`Aliases: ${user.aliases.join(', ')}. ` : ''}Groups: ${user.groups?.length ? user.groups.join(', ') : 'none'}. Password changed ${ago(user.passwordChangedAt)}.</p>
    ${canHelp && html`<div class="row"><button class=${user.enabled ? 'danger' : ''} onClick=${setEnabled} id="toggle-enabled">${user.enabled ? 'Disable account' : 'Enable account'}</button></div>
      <form onSubmit=${resetPassword} class="row"><div class="grow"><label for="reset-pw">New password</label><input id="reset-pw" name="password" type="password" autocomplete="new-password" required maxlength="1024" /></div><button type="submit">Set password</button></form>`}
    ${session.adminRole === 'admin' && html`<form onSubmit=${saveRoles}><label>Roles</label><div class="checks">
      ${['admin', 'helpdesk', 'auditor'].map((r) => html`<label><input type="checkbox" name="role" value=${r} checked=${user.roles.includes(r)} />${r}</label>`)}
      <button type="submit" class="small">Save roles</button></div></form>`}
    <h3>Application passwords</h3>
    ${aps.length === 0 ? html`<p class="empty">None.</p>` : html`<table><tbody>${aps.map((ap) => html`<tr>
      <td>${ap.name}</td><td>${ap.scopes.map((s) => html`<span class="badge info">${s}</span>`)}</td><td class="small">last used ${ago(ap.lastUsedAt)}</td>
      <td class="num">${canHelp ? html`<button class="small danger" onClick=${() => revoke(ap)}>Revoke</button>` : null}</td></tr>`)}</tbody></table>`}
  </section>`;
}

function NewUser({ onCreated }) {
  const [error, setError] = useState(null);
  async function submit(event) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const f = new FormData(formEl);
    const body = { mail: String(f.get('mail')).trim(), displayName: String(f.get('displayName')).trim() };
    if (f.get('password')) body.password = String(f.get('password'));
    try { const u = await api('POST', '/api/admin/v1/users', body); formEl.reset(); setError(null); onCreated(u.login); } catch (e) { setError(e.message); }
  }
  return html`<section class="card"><header><h2>New user</h2></header><${Alert} error=${error} />
    <form onSubmit=${submit} id="new-user"><div class="row">
      <div class="grow"><label for="nu-mail">Mail address</label><input id="nu-mail" name="mail" type="text" required maxlength="320" /></div>
      <div class="grow"><label for="nu-name">Display name</label><input id="nu-name" name="displayName" type="text" maxlength="256" /></div>
      <div class="grow"><label for="nu-pw">Password</label><input id="nu-pw" name="password" type="password" autocomplete="new-password" maxlength="1024" /></div>
      <button class="primary" type="submit">Create</button></div></form></section>`;
}

export function Users({ session }) {
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ items: [], total: 0, offset: 0, limit: 25 });
  const [selected, setSelected] = useState(null);
  const [error, setError] = useState(null);
  const load = (offset = 0) => api('GET', `/api/admin/v1/users?limit=25&offset=${offset}${q ? `&q=${enc(q)}` : ''}`).then(setPage).catch((e) => setError(e.message));
  useEffect(() => { load(0); }, [q]);
  return html`<div id="users"><h1>Users</h1><${Alert} error=${error} />
    <div class="split"><section class="card">
      <input type="search" placeholder="Search login, mail or name" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} maxlength="200" aria-label="Search users" />
      <table><thead><tr><th>Login</th><th>Name</th><th>Roles</th><th></th></tr></thead><tbody>
        ${page.items.length === 0 ? html`<tr><td colspan="4" class="empty">No users.</td></tr>` : page.items.map((u) => html`
        <tr key=${u.id} class=${`clickable ${selected === u.login ? 'selected' : ''}`} onClick=${() => setSelected(u.login)} data-login=${u.login}>
          <td><strong>${u.login}</strong><div class="small muted">${u.mail}</div></td><td>${u.displayName}</td>
          <td>${u.roles.map((r) => html`<span class="badge info">${r}</span>`)}</td>
          <td>${u.enabled ? null : html`<span class="badge bad">disabled</span>`}</td></tr>`)}
      </tbody></table>
      <div class="row small muted"><span class="grow">${page.total} users</span>
        <button class="small" disabled=${page.offset === 0} onClick=${() => load(Math.max(0, page.offset - page.limit))}>Previous</button>
        <button class="small" disabled=${page.offset + page.limit >= page.total} onClick=${() => load(page.offset + page.limit)}>Next</button></div>
    </section>
    <div>${selected ? html`<${UserDetail} login=${selected} session=${session} onChanged=${() => load(page.offset)} />` : html`<section class="card"><p class="empty">Choose a user to see details.</p></section>`}
      ${session.adminRole === 'admin' && html`<${NewUser} onCreated=${(login) => { load(0); setSelected(login); }} />`}</div></div>
  </div>`;
}
