// Where this account is signed in to these pages: end one session, or all but this one.
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, ago, api, html, when } from './lib.js';

/** "Firefox on Linux" from a user agent, good enough to recognise one's own devices. */
function device(ua) {
  if (!ua) return 'Unknown browser';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'another system';
  return `${browser} on ${os}`;
}

export function Sessions() {
  const [list, setList] = useState(null);
  const [msg, setMsg] = useState({});
  const load = () => api('GET', '/api/self/v1/sessions').then(setList).catch((e) => setMsg({ error: e.message }));
  useEffect(() => { load(); }, []);
  const act = async (fn, success) => { setMsg({}); try { const r = await fn(); setMsg({ success: success(r) }); await load(); } catch (e) { setMsg({ error: e.message }); } };
  const endOne = (s) => act(() => api('DELETE', `/api/self/v1/sessions/${encodeURIComponent(s.id)}`), () => 'That session was signed out.');
  const endOthers = () => confirm('Sign out of every other browser?') && act(() => api('POST', '/api/self/v1/sessions/sign-out-others'), (r) => `Signed out of ${r.ended} other session${r.ended === 1 ? '' : 's'}.`);
  const others = (list ?? []).filter((s) => !s.current).length;
  return html`<section class="card" id="sessions">
    <header><h2>Where you are signed in</h2><button class="small danger" id="sign-out-others" disabled=${others === 0} onClick=${endOthers}>Sign out everywhere else</button></header>
    <${Alert} ...${msg} />
    ${list === null ? html`<p class="muted">Loading…</p>` : html`<div class="scroll"><table><thead><tr><th>Browser</th><th>From</th><th>Signed in</th><th>Last active</th><th></th></tr></thead>
      <tbody>${list.map((s) => html`<tr key=${s.id} data-current=${s.current ? 'yes' : 'no'}>
        <td><strong>${device(s.userAgent)}</strong>${s.current ? html` <span class="badge ok">this browser</span>` : null}</td>
        <td class="mono small">${s.clientIp ?? '—'}</td><td class="small">${when(s.createdAt)}</td><td class="small">${ago(s.lastSeenAt)}</td>
        <td class="num">${s.current ? null : html`<button class="small" onClick=${() => endOne(s)}>Sign out</button>`}</td></tr>`)}</tbody></table></div>`}
    <p class="small muted">Mail and calendar apps are not listed here: they use application passwords, which you revoke above.</p>
  </section>`;
}
