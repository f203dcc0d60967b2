// Groups: list, members, create and delete (admin only changes).
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, api, html } from './lib.js';

const enc = encodeURIComponent;

export function Groups({ session }) {
  const [groups, setGroups] = useState([]);
  const [selected, setSelected] = useState(null);
  const [msg, setMsg] = useState({});
  const isAdmin = session.adminRole === 'admin';
  const load = () => api('GET', '/api/admin/v1/groups?limit=200').then((p) => setGroups(p.items)).catch((e) => setMsg({ error: e.message }));
  const open = (name) => api('GET', `/api/admin/v1/groups/${enc(name)}`).then(setSelected).catch((e) => setMsg({ error: e.message }));
  useEffect(() => { load(); }, []);
  const act = async (fn, success, after) => { setMsg({}); try { await fn(); setMsg({ success }); await load(); if (after) await after(); } catch (e) { setMsg({ error: e.message }); } };
  const create = (event) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const f = new FormData(formEl);
    const body = { name: String(f.get('name')).trim(), description: String(f.get('description')).trim() };
    if (f.get('mail')) body.mail = String(f.get('mail')).trim();
    act(() => api('POST', '/api/admin/v1/groups', body).then(() => formEl.reset()), 'Group created.');
  };
  const addMember = (event) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const login = String(new FormData(formEl).get('login')).trim();
    act(() => api('PUT', `/api/admin/v1/groups/${enc(selected.name)}/members/${enc(login)}`).then(() => formEl.reset()), `Added ${login}.`, () => open(selected.name));
  };
  const removeMember = (login) => act(() => api('DELETE', `/api/admin/v1/groups/${enc(selected.name)}/members/${enc(login)}`), `Removed ${login}.`, () => open(selected.name));
  const remove = () => confirm(`Delete group ${selected.name}?`) && act(() => api('DELETE', `/api/admin/v1/groups/${enc(selected.name)}`), 'Group deleted.', () => setSelected(null));
  return html`<div id="groups"><h1>Groups</h1><${Alert} ...${msg} />
    <div class="split"><section class="card"><table><thead><tr><th>Name</th><th>Mail</th><th>Description</th></tr></thead><tbody>
      ${groups.length === 0 ? html`<tr><td colspan="3" class="empty">No groups.</td></tr>` : groups.map((g) => html`<tr key=${g.id} class=${`clickable ${selected?.id === g.id ? 'selected' : ''}`} onClick=${() => open(g.name)}>
        <td><strong>${g.name}</strong></td><td class="small">${g.mail ?? '—'}</td><td class="small muted">${g.description}</td></tr>`)}
    </tbody></table></section>
    <div>${selected && html`<section class="card"><header><h2>${selected.name}</h2>${isAdmin && html`<button class="small danger" onClick=${remove}>Delete</button>`}</header>
        <p class="small muted">${selected.mail ?? 'no address'}${selected.aliases.length ? ` · aliases ${selected.aliases.join(', ')}` : ''}</p>
        <h3>Members</h3>
        ${selected.members.length === 0 ? html`<p class="empty">No members.</p>` : html`<table><tbody>${selected.members.map((m) => html`<tr><td>${m}</td><td class="num">${isAdmin && html`<button class="small" onClick=${() => removeMember(m)}>Remove</button>`}</td></tr>`)}</tbody></table>`}
        ${isAdmin && html`<form class="row" onSubmit=${addMember}><div class="grow"><label for="gm-login">Add member (login)</label><input id="gm-login" name="login" type="text" required maxlength="320" /></div><button type="submit">Add</button></form>`}
      </section>`}
      ${isAdmin && html`<section class="card"><header><h2>New group</h2></header><form onSubmit=${create}>
        <div class="row"><div class="grow"><label for="ng-name">Name</label><input id="ng-name" name="name" type="text" required maxlength="64" /></div>
        <div class="grow"><label for="ng-mail">Mail (optional)</label><input id="ng-mail" name="mail" type="text" maxlength="320" /></div></div>
        <div class="field"><label for="ng-desc">Description</label><input id="ng-desc" name="description" type="text" maxlength="1024" /></div>
        <button class="primary" type="submit">Create group</button></form></section>`}</div></div>
  </div>`;
}
