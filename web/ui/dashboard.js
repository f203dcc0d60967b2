// The live dashboard: Server-Sent Events from /api/admin/v1/stats/stream, polling as a fallback.
import { useEffect, useState } from './vendor/hooks.mjs';
import { api, html, targetText, until } from './lib.js';
import { MiniBar, TimeChart } from './chart.js';

function Kpi({ label, value, tone, id }) {
  return html`<div class="card kpi ${tone}" id=${id}><div class="label">${label}</div><div class="value">${value}</div></div>`;
}

function useLiveStats() {
  const [stats, setStats] = useState(null);
  const [live, setLive] = useState(false);
  useEffect(() => {
    let source = null, poll = null, closed = false;
    const fallback = () => {
      if (poll || closed) return;
      setLive(false);
      poll = setInterval(() => api('GET', '/api/admin/v1/stats').then(setStats).catch(() => {}), 5000);
    };
    api('GET', '/api/admin/v1/stats').then(setStats).catch(() => {});
    if (window.EventSource) {
      source = new EventSource('/api/admin/v1/stats/stream');
      source.addEventListener('stats', (e) => { setLive(true); setStats(JSON.parse(e.data)); });
      source.addEventListener('end', () => { source.close(); setLive(false); });
      source.onerror = () => setLive(false);
    } else fallback();
    return () => { closed = true; source?.close(); if (poll) clearInterval(poll); };
  }, []);
  return { stats, live };
}

function protocolRows(series) {
  const sum = {};
  for (const p of series) for (const [proto, o] of Object.entries(p.byProtocol)) {
    const s = (sum[proto] ??= { accepted: 0, failed: 0, blocked: 0 });
    s.accepted += o.accepted; s.failed += o.failed; s.blocked += o.blocked;
  }
  return Object.entries(sum).sort((a, b) => (b[1].accepted + b[1].failed + b[1].blocked) - (a[1].accepted + a[1].failed + a[1].blocked));
}

export function Dashboard({ session, go }) {
  const { stats, live } = useLiveStats();
  if (!stats) return html`<p class="muted">Loading…</p>`;
  const { totals } = stats;
  const maxIp = Math.max(0, ...stats.topIps.map((r) => r.failures));
  const maxNet = Math.max(0, ...stats.topNetworks.map((r) => r.failures));
  const protos = protocolRows(stats.series);
  return html`<div id="dashboard">
    <header class="row"><h1 class="grow">Dashboard</h1><span class=${`live ${live ? 'on' : ''}`} id="live-indicator">${live ? 'Live' : 'Reconnecting…'}</span></header>
    <p class="muted small">This node, last ${Math.round(stats.windowSeconds / 60)} minutes.</p>
    <div class="grid four">
      <${Kpi} id="kpi-accepted" label="Signed in" value=${totals.accepted} tone="ok" />
      <${Kpi} id="kpi-failed" label="Failed" value=${totals.failed} tone=${totals.failed ? 'warn' : ''} />
      <${Kpi} id="kpi-blocked" label="Blocked" value=${totals.blocked} tone=${totals.blocked ? 'bad' : ''} />
      <${Kpi} id="kpi-bans" label="Active bans" value=${stats.guard.activeBans} tone=${stats.guard.activeBans ? 'bad' : ''} />
    </div>
    <section class="card">
      <header><h2>Logins over time</h2><div class="legend"><span class="accepted">signed in</span><span class="failed">failed</span><span class="blocked">blocked</span></div></header>
      <${TimeChart} series=${stats.series} bucketSeconds=${stats.bucketSeconds} />
    </section>
    <div class="grid two">
      <section class="card" id="top-ips"><header><h2>Top offending addresses</h2></header>
        ${stats.topIps.length === 0 ? html`<p class="empty">No failed logins.</p>` : html`<table class="ranked"><thead><tr><th>Address</th><th class="num">Failures</th><th></th><th></th></tr></thead><tbody>${stats.topIps.map((r) => html`<tr data-ip=${r.ip}>
          <td class="mono wrap">${r.ip}</td><td class="num">${r.failures}</td><td class="barcell"><${MiniBar} value=${r.failures} max=${maxIp} /></td>
          <td class="num fit">${session.adminRole === 'admin' ? html`<button class="small danger" onClick=${() => go('guard', { ip: r.ip })}>Ban…</button>` : null}</td></tr>`)}</tbody></table>`}
      </section>
      <section class="card" id="top-networks"><header><h2>Top offending networks</h2></header>
        ${stats.topNetworks.length === 0 ? html`<p class="empty">No failed logins.</p>` : html`<table class="ranked"><thead><tr><th>Network</th><th class="num">Failures</th><th></th></tr></thead><tbody>${stats.topNetworks.map((r) => html`<tr>
          <td class="mono wrap">${r.network}</td><td class="num">${r.failures}</td><td class="barcell"><${MiniBar} value=${r.failures} max=${maxNet} /></td></tr>`)}</tbody></table>`}
      </section>
    </div>
    <div class="grid two">
      <section class="card" id="accounts-under-attack"><header><h2>Accounts under attack</h2></header>
        ${stats.accountsUnderAttack.length === 0 ? html`<p class="empty">None right now.</p>` : html`<table><thead><tr><th>Login</th><th class="num">Failures</th><th class="num">Addresses</th></tr></thead><tbody>
          ${stats.accountsUnderAttack.map((a) => html`<tr><td class="wrap">${a.login}</td><td class="num">${a.failures}</td><td class="num">${a.addresses}</td></tr>`)}</tbody></table>`}
      </section>
      <section class="card"><header><h2>By protocol</h2></header>
        ${protos.length === 0 ? html`<p class="empty">No logins yet.</p>` : html`<table><thead><tr><th>Protocol</th><th class="num">Signed in</th><th class="num">Failed</th><th class="num">Blocked</th></tr></thead><tbody>
          ${protos.map(([p, o]) => html`<tr><td><span class="badge">${p}</span></td><td class="num">${o.accepted}</td><td class="num">${o.failed}</td><td class="num">${o.blocked}</td></tr>`)}</tbody></table>`}
      </section>
    </div>
    <section class="card" id="recent-bans"><header><h2>Recent bans</h2>${stats.guard.enabled ? null : html`<span class="badge warn">attack detection is off</span>`}</header>
      ${stats.guard.recentBans.length === 0 ? html`<p class="empty">No active bans.</p>` : html`<div class="scroll"><table><thead><tr><th>Target</th><th>Rule</th><th>Reason</th><th>Expires</th></tr></thead><tbody>
        ${stats.guard.recentBans.map((b) => html`<tr><td class="mono wrap">${targetText(b.target)}</td><td><span class="badge bad">${b.rule}</span></td><td class="small">${b.reason}</td><td class="small nowrap">${until(b.expiresAt)}</td></tr>`)}</tbody></table></div>`}
    </section>
  </div>`;
}
