// Mail domains: every address and alias must belong to one of them.
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, api, html, when } from './lib.js';

export function Domains({ session, go }) {
  const [domains, setDomains] = useState(null);
  const [msg, setMsg] = useState({});
  const isAdmin = session.adminRole === 'admin';
  const load = () => api('GET', '/api/admin/v1/domains').then(setDomains).catch((e) => setMsg({ error: e.message }));
  useEffect(() => { load(); }, []);
  const act = async (fn, success) => { setMsg({}); try { await fn(); setMsg({ success }); await load(); } catch (e) { setMsg({ error: e.message }); } };
  const add = (event) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const name = String(new FormData(formEl).get('name')).trim();
    act(() => api('POST', '/api/admin/v1/domains', { name }).then(() => formEl.reset()), `Added ${name}.`);
  };
  const remove = (d) => confirm(`Remove the domain ${d.name}?`) && act(() => api('DELETE', `/api/admin/v1/domains/${encodeURIComponent(d.name)}`), `Removed ${d.name}.`);
  return html`<div id="domains"><h1>Mail domains</h1><${Alert} ...${msg} />
    <section class="card"><table><thead><tr><th>Domain</th><th>Added</th><th></th></tr></thead><tbody>
      ${domains === null ? html`<tr><td colspan="3" class="muted">Loading…</td></tr>` : domains.length === 0 ? html`<tr><td colspan="3" class="empty">No domains yet: add one before creating users.</td></tr>` : domains.map((d) => html`<tr key=${d.name} data-domain=${d.name}>
        <td><strong>${d.name}</strong></td><td class="small">${when(d.createdAt)}</td>
        <td class="num actions"><button class="small" onClick=${() => go('users', { domain: d.name })}>Users</button>${isAdmin && html`<button class="small danger" onClick=${() => remove(d)}>Remove</button>`}</td></tr>`)}
    </tbody></table>
    ${isAdmin && html`<form class="row" onSubmit=${add} id="new-domain"><div class="grow"><label for="dom-name">Add a domain</label><input id="dom-name" name="name" type="text" required maxlength="253" placeholder="example.org" /></div><button class="primary" type="submit">Add</button></form>`}
    <p class="small muted">A domain can only be removed when no user or group uses an address in it.</p></section>
  </div>`;
}
