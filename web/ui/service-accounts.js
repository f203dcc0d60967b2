// Service accounts: the identities software binds with (directory readers, master users).
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, api, html, when } from './lib.js';

const ROLES = [['directory-read', 'Directory read', 'may search the LDAP directory (Dovecot, Stalwart look-ups)'], ['impersonate', 'Master user', 'may log in as any user (user%master)']];

export function ServiceAccounts({ session }) {
  const [accounts, setAccounts] = useState(null);
  const [msg, setMsg] = useState({});
  const isAdmin = session.adminRole === 'admin';
  const load = () => api('GET', '/api/admin/v1/service-accounts').then(setAccounts).catch((e) => setMsg({ error: e.message }));
  useEffect(() => { load(); }, []);
  const act = async (fn, success) => { setMsg({}); try { await fn(); setMsg({ success }); await load(); } catch (e) { setMsg({ error: e.message }); } };
  const create = (event) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const f = new FormData(formEl);
    const body = { name: String(f.get('name')).trim(), password: String(f.get('password')), roles: f.getAll('role').map(String), description: String(f.get('description')).trim() };
    act(() => api('POST', '/api/admin/v1/service-accounts', body).then(() => formEl.reset()), `Service account ${body.name} created.`);
  };
  const remove = (a) => confirm(`Delete service account ${a.name}? Software binding with it stops working.`) && act(() => api('DELETE', `/api/admin/v1/service-accounts/${encodeURIComponent(a.name)}`), `Deleted ${a.name}.`);
  return html`<div id="service-accounts"><h1>Service accounts</h1>
    <p class="muted small">Accounts for software, binding as <code>cn=NAME,ou=services,…</code>: mail servers reading the directory, groupware master users.</p>
    <${Alert} ...${msg} />
    <section class="card"><table><thead><tr><th>Name</th><th>Roles</th><th>Description</th><th>Created</th><th></th></tr></thead><tbody>
      ${accounts === null ? html`<tr><td colspan="5" class="muted">Loading…</td></tr>` : accounts.length === 0 ? html`<tr><td colspan="5" class="empty">No service accounts.</td></tr>` : accounts.map((a) => html`<tr key=${a.id} data-name=${a.name}>
        <td><strong>${a.name}</strong>${a.enabled ? null : html` <span class="badge bad">disabled</span>`}</td><td>${a.roles.map((r) => html`<span class="badge info">${r}</span>`)}</td>
        <td class="small muted">${a.description}</td><td class="small">${when(a.createdAt)}</td>
        <td class="num">${isAdmin && html`<button class="small danger" onClick=${() => remove(a)}>Delete</button>`}</td></tr>`)}
    </tbody></table></section>
    ${isAdmin && html`<section class="card"><header><h2>New service account</h2></header><form onSubmit=${create} id="new-service-account">
      <div class="row"><div class="grow"><label for="sa-name">Name</label><input id="sa-name" name="name" type="text" required maxlength="64" placeholder="dovecot" /></div>
        <div class="grow"><label for="sa-pw">Password</label><input id="sa-pw" name="password" type="password" autocomplete="new-password" required maxlength="1024" /></div></div>
      <div class="field"><label>Roles</label><div class="checks scopes">${ROLES.map(([value, label, hint]) => html`<label><input type="checkbox" name="role" value=${value} checked=${value === 'directory-read'} /><span>${label}<span class="hint">${hint}</span></span></label>`)}</div></div>
      <div class="field"><label for="sa-desc">Description</label><input id="sa-desc" name="description" type="text" maxlength="1024" /></div>
      <button class="primary" type="submit">Create service account</button></form></section>`}
  </div>`;
}
