// Users: search, details, enable/disable, password reset, aliases, app passwords; create (admin only).
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, ago, api, html } from './lib.js';
import { AppPasswords } from './app-passwords.js';

const enc = encodeURIComponent;

function UserDetail({ login, session, onChanged }) {
  const [user, setUser] = useState(null);
  const [msg, setMsg] = useState({});
  const load = () => api('GET', `/api/admin/v1/users/${enc(login)}`).then(setUser).catch((e) => setMsg({ error: e.message }));
  useEffect(() => { setMsg({}); load(); }, [login]);
  if (!user) return html`<section class="card"><${Alert} error=${msg.error} /><p class="muted">Loading…</p></section>`;
  const canHelp = mayManage(session, user);
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
  const addAlias = (event) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const alias = String(new FormData(formEl).get('alias')).trim();
    act(() => api('POST', `/api/admin/v1/users/${enc(login)}/aliases`, { alias }).then(() => formEl.reset()), `Added ${alias}.`);
  };
  const removeAlias = (alias) => confirm(`Remove the alias ${alias}?`) && act(() => api('DELETE', `/api/admin/v1/aliases/${enc(alias)}`), `Removed ${alias}.`);
  const isAdmin = session.adminRole === 'admin';
  return html`<section class="card" id="user-detail">
    <header><div><h2>${user.displayName}</h2><div class="muted small">${user.login} · ${user.mail}</div></div>
      ${user.enabled ? html`<span class="badge ok">enabled</span>` : html`<span class="badge bad">disabled</span>`}</header>
    <${Alert} ...${msg} />
    <p class="small">Groups: ${user.groups?.length ? user.groups.join(', ') : 'none'}. Password changed ${ago(user.passwordChangedAt)}.</p>
    ${canHelp && html`<div class="row"><button class=${user.enabled ? 'danger' : ''} onClick=${setEnabled} id="toggle-enabled">${user.enabled ? 'Disable account' : 'Enable account'}</button></div>
      <form onSubmit=${resetPassword} class="row"><div class="grow"><label for="reset-pw">New password</label><input id="reset-pw" name="password" type="password" autocomplete="new-password" required maxlength="1024" /></div><button type="submit">Set password</button></form>`}
    ${session.adminRole === 'admin' && html`<form onSubmit=${saveRoles}><label>Roles</label><div class="checks">
      ${['admin', 'helpdesk', 'auditor'].map((r) => html`<label><input type="checkbox" name="role" value=${r} checked=${user.roles.includes(r)} />${r}</label>`)}
      <button type="submit" class="small">Save roles</button></div></form>`}
    <h3>Addresses</h3>
    <table id="aliases"><tbody><tr><td class="mono small">${user.mail}</td><td><span class="badge">primary</span></td><td></td></tr>
      ${user.aliases.map((a) => html`<tr key=${a} data-alias=${a}><td class="mono small">${a}</td><td><span class="badge info">alias</span></td>
        <td class="num">${isAdmin && html`<button class="small" onClick=${() => removeAlias(a)}>Remove</button>`}</td></tr>`)}</tbody></table>
    ${isAdmin && html`<form class="row" onSubmit=${addAlias} id="add-alias"><div class="grow"><label for="alias-new">Add an alias</label><input id="alias-new" name="alias" type="text" required maxlength="320" placeholder=${`other@${user.mail.split('@')[1]}`} /></div><button type="submit">Add alias</button></form>`}
  </section>`;
}

/** Helpdesk may manage ordinary users' credentials, admins anyone's (the API enforces the same). */
const mayManage = (session, user) => session.adminRole === 'admin' || (session.adminRole === 'helpdesk' && !user.roles.some((r) => ['admin', 'helpdesk', 'auditor'].includes(r)));

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

export function Users({ session, params, go }) {
  const domain = params?.domain ?? '';
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ items: [], total: 0, offset: 0, limit: 25 });
  const [selected, setSelected] = useState(null);
  const [error, setError] = useState(null);
  const load = (offset = 0) => api('GET', `/api/admin/v1/users?limit=25&offset=${offset}${q ? `&q=${enc(q)}` : ''}${domain ? `&domain=${enc(domain)}` : ''}`).then(setPage).catch((e) => setError(e.message));
  useEffect(() => { load(0); }, [q]);
  const chosen = page.items.find((u) => u.login === selected);
  return html`<div id="users"><h1>Users${domain && html` <span class="badge info">${domain}</span><button class="small" onClick=${() => go('users')}>all domains</button>`}</h1><${Alert} error=${error} />
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
    ${chosen && html`<${AppPasswords} key=${chosen.login} base=${`/api/admin/v1/users/${enc(chosen.login)}/app-passwords`} canEdit=${mayManage(session, chosen)} owner=${chosen.login} />`}
  </div>`;
}
