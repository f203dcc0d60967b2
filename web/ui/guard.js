// Bans and the allow-list, through the guard's API; "explain" shows why an address is treated so.
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, api, html, targetText, until, when } from './lib.js';

const DURATIONS = [[900, '15 minutes'], [3600, '1 hour'], [86400, '1 day'], [604800, '1 week'], [0, 'until lifted']];

function target(value) {
  const v = value.trim();
  return v.includes('/') ? { cidr: v } : { ip: v };
}

function EntryTable({ entries, kind, canEdit, onRemove }) {
  if (entries.length === 0) return html`<p class="empty">${kind === 'bans' ? 'No active bans.' : 'The allow-list is empty.'}</p>`;
  return html`<table><thead><tr><th>Target</th><th>Rule</th><th>Reason</th><th>Since</th><th>Expires</th><th></th></tr></thead><tbody>
    ${entries.map((e) => html`<tr key=${e.id} data-target=${targetText(e.target)}>
      <td class="mono">${targetText(e.target)}</td><td><span class=${`badge ${kind === 'bans' ? 'bad' : 'ok'}`}>${e.rule}</span></td>
      <td class="small">${e.reason}</td><td class="small">${when(e.createdAt)}</td><td class="small">${until(e.expiresAt)}</td>
      <td class="num">${canEdit && html`<button class="small" onClick=${() => onRemove(e)}>${kind === 'bans' ? 'Lift' : 'Remove'}</button>`}</td></tr>`)}
  </tbody></table>`;
}

export function Guard({ session, params }) {
  const [bans, setBans] = useState([]);
  const [allows, setAllows] = useState([]);
  const [msg, setMsg] = useState({});
  const [explained, setExplained] = useState(null);
  const isAdmin = session.adminRole === 'admin';
  const load = () => Promise.all([api('GET', '/api/admin/v1/guard/bans'), api('GET', '/api/admin/v1/guard/allows')])
    .then(([b, a]) => { setBans(b); setAllows(a); }).catch((e) => setMsg({ error: e.message }));
  useEffect(() => { load(); }, []);
  const act = async (fn, success) => { setMsg({}); try { await fn(); setMsg({ success }); await load(); } catch (e) { setMsg({ error: e.message }); } };
  const ban = (event) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const f = new FormData(formEl);
    const body = { ...target(String(f.get('target'))), ttlSeconds: Number(f.get('ttl')), reason: String(f.get('reason')).trim() };
    act(() => api('POST', '/api/admin/v1/guard/bans', body).then(() => formEl.reset()), `Banned ${String(f.get('target')).trim()}.`);
  };
  const allow = (event) => {
    event.preventDefault();
    const formEl = event.currentTarget;
    const f = new FormData(formEl);
    const value = String(f.get('target')).trim();
    const body = { ...(/^[0-9a-f.:]+(\/\d+)?$/i.test(value) ? target(value) : { login: value }), reason: String(f.get('reason')).trim() };
    act(() => api('POST', '/api/admin/v1/guard/allows', body).then(() => formEl.reset()), `Allow-listed ${value}.`);
  };
  const explain = (event) => {
    event.preventDefault();
    const query = String(new FormData(event.currentTarget).get('query')).trim();
    api('GET', `/api/admin/v1/guard/explain?query=${encodeURIComponent(query)}`).then(setExplained, (e) => setMsg({ error: e.message }));
  };
  const lift = (kind) => (e) => act(() => api('DELETE', `/api/admin/v1/guard/${kind}/${encodeURIComponent(e.id)}`), kind === 'bans' ? 'Ban lifted.' : 'Entry removed.');
  return html`<div id="guard"><h1>Bans and allow-list</h1><${Alert} ...${msg} />
    <section class="card" id="bans"><header><h2>Bans</h2><span class="muted small">${bans.length} active</span></header>
      <${EntryTable} entries=${bans} kind="bans" canEdit=${isAdmin} onRemove=${lift('bans')} />
      ${isAdmin && html`<form class="row" onSubmit=${ban} id="ban-form">
        <div class="grow"><label for="ban-target">Address or network</label><input id="ban-target" name="target" type="text" required maxlength="64" placeholder="192.0.2.7 or 198.51.100.0/24" value=${params?.ip ?? ''} /></div>
        <div><label for="ban-ttl">For</label><select id="ban-ttl" name="ttl">${DURATIONS.map(([v, l]) => html`<option value=${v} selected=${v === 86400}>${l}</option>`)}</select></div>
        <div class="grow"><label for="ban-reason">Reason</label><input id="ban-reason" name="reason" type="text" maxlength="256" /></div>
        <button class="primary" type="submit">Ban</button></form>`}
    </section>
    <section class="card" id="allows"><header><h2>Allow-list</h2><span class="muted small">bypasses every rule and ban</span></header>
      <${EntryTable} entries=${allows} kind="allows" canEdit=${isAdmin} onRemove=${lift('allows')} />
      ${isAdmin && html`<form class="row" onSubmit=${allow}>
        <div class="grow"><label for="allow-target">Address, network or login</label><input id="allow-target" name="target" type="text" required maxlength="320" /></div>
        <div class="grow"><label for="allow-reason">Reason</label><input id="allow-reason" name="reason" type="text" maxlength="256" /></div>
        <button type="submit">Allow</button></form>`}
    </section>
    <section class="card"><header><h2>Explain</h2><span class="muted small">why an address or account is slowed or refused</span></header>
      <form class="row" onSubmit=${explain}><div class="grow"><input name="query" type="text" required maxlength="320" placeholder="an address or a login" aria-label="Address or login" /></div><button type="submit">Explain</button></form>
      ${explained && html`<p class="small">${explained.allowListed ? html`<span class="badge ok">allow-listed</span>` : null}${explained.bans.length ? html`<span class="badge bad">banned</span>` : html`<span class="badge">not banned</span>`}
        ${explained.ip ? html`address <code>${explained.ip}</code> in <code>${explained.network}</code>` : html`login <code>${explained.login}</code>`}</p>
        <table><thead><tr><th>Rule</th><th>Counts</th><th class="num">Count</th><th class="num">Threshold</th><th>Action</th></tr></thead><tbody>
          ${explained.rules.map((r) => html`<tr><td>${r.rule}</td><td class="small muted">${r.counts} per ${r.scope}, ${Math.round(r.windowSeconds / 60)} min</td><td class="num">${r.count}</td><td class="num">${r.threshold}</td>
            <td>${r.fires ? html`<span class="badge bad">${r.action}</span>` : html`<span class="badge">${r.action}</span>`}</td></tr>`)}</tbody></table>`}
    </section>
  </div>`;
}
