// The audit log: search by actor or target, filter by action, page through.
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, api, html, when } from './lib.js';

const LIMIT = 50;

function detailText(detail) {
  return Object.entries(detail).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

export function Audit() {
  const [filter, setFilter] = useState({ q: '', action: '' });
  const [offset, setOffset] = useState(0);
  const [items, setItems] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    const params = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
    if (filter.q) params.set('q', filter.q);
    if (filter.action) params.set('action', filter.action);
    api('GET', `/api/admin/v1/audit?${params}`).then((p) => { setItems(p.items); setError(null); }, (e) => setError(e.message));
  }, [filter, offset]);
  const search = (event) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setOffset(0);
    setFilter({ q: String(f.get('q')).trim(), action: String(f.get('action')).trim() });
  };
  return html`<div id="audit"><h1>Audit log</h1><${Alert} error=${error} />
    <section class="card">
      <form class="row" onSubmit=${search} id="audit-search">
        <div class="grow"><label for="audit-q">Actor or target contains</label><input id="audit-q" name="q" type="search" maxlength="200" placeholder="alice, admin:bob, user:carol…" /></div>
        <div class="grow"><label for="audit-action">Action</label><input id="audit-action" name="action" type="text" maxlength="64" placeholder="user.password, guard.ban…" /></div>
        <button class="primary" type="submit">Search</button>
      </form>
      <table><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Details</th></tr></thead><tbody>
        ${items.length === 0 ? html`<tr><td colspan="5" class="empty">Nothing found.</td></tr>` : items.map((e) => html`<tr key=${e.id}>
          <td class="small">${when(e.at)}</td><td class="small">${e.actor}<div class="muted">${e.source ?? ''}</div></td>
          <td><span class="badge info">${e.action}</span></td><td class="mono small">${e.target}</td><td class="small muted">${detailText(e.detail)}</td></tr>`)}
      </tbody></table>
      <div class="row small"><span class="grow"></span>
        <button class="small" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - LIMIT))}>Newer</button>
        <button class="small" disabled=${items.length < LIMIT} onClick=${() => setOffset(offset + LIMIT)}>Older</button></div>
    </section>
  </div>`;
}
