// Trusted token issuers: which identity providers' access tokens log in (admin changes, others read).
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, api, html, when } from './lib.js';

const enc = encodeURIComponent;
const words = (value) => String(value ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

function NewIssuer({ onCreated }) {
  const [error, setError] = useState(null);
  async function submit(event) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const f = new FormData(formEl);
    const body = { name: String(f.get('name')).trim(), issuer: String(f.get('issuer')).trim(), accountClaim: String(f.get('accountClaim')).trim(), audiences: words(f.get('audiences')), algorithms: words(f.get('algorithms')) };
    for (const key of ['jwksUri', 'introspectionUrl', 'clientId', 'clientSecret']) if (String(f.get(key) ?? '').trim()) body[key] = String(f.get(key)).trim();
    try { const created = await api('POST', '/api/admin/v1/issuers', body); formEl.reset(); setError(null); onCreated(created); } catch (e) { setError(e.message); }
  }
  return html`<section class="card"><header><h2>Trust an issuer</h2></header><${Alert} error=${error} />
    <form onSubmit=${submit} id="new-issuer">
      <div class="row"><div class="grow"><label for="is-name">Name</label><input id="is-name" name="name" type="text" required maxlength="128" placeholder="Company Keycloak" /></div>
        <div class="grow"><label for="is-claim">Account claim</label><input id="is-claim" name="accountClaim" type="text" required maxlength="128" value="preferred_username" /></div></div>
      <div class="field"><label for="is-issuer">Issuer (the exact “iss” value)</label><input id="is-issuer" name="issuer" type="text" required maxlength="512" placeholder="https://idp.example.org/realms/mail" /></div>
      <div class="row"><div class="grow"><label for="is-aud">Audiences (any when empty)</label><input id="is-aud" name="audiences" type="text" maxlength="2048" placeholder="mail, groupware" /></div>
        <div class="grow"><label for="is-alg">Algorithms (asymmetric when empty)</label><input id="is-alg" name="algorithms" type="text" maxlength="256" placeholder="RS256 ES256" /></div></div>
      <div class="field"><label for="is-jwks">Key set URL (discovered when empty)</label><input id="is-jwks" name="jwksUri" type="text" maxlength="1024" /></div>
      <details><summary class="small">Opaque tokens (introspection)</summary>
        <div class="field"><label for="is-intro">Introspection URL</label><input id="is-intro" name="introspectionUrl" type="text" maxlength="1024" /></div>
        <div class="row"><div class="grow"><label for="is-cid">Client id</label><input id="is-cid" name="clientId" type="text" maxlength="256" /></div>
          <div class="grow"><label for="is-secret">Client secret</label><input id="is-secret" name="clientSecret" type="password" autocomplete="off" maxlength="1024" /></div></div>
      </details>
      <button class="primary" type="submit">Trust issuer</button>
    </form></section>`;
}

export function Issuers({ session }) {
  const [issuers, setIssuers] = useState(null);
  const [msg, setMsg] = useState({});
  const isAdmin = session.adminRole === 'admin';
  const load = () => api('GET', '/api/admin/v1/issuers').then(setIssuers).catch((e) => setMsg({ error: e.message }));
  useEffect(() => { load(); }, []);
  const act = async (fn, success) => { setMsg({}); try { await fn(); setMsg({ success }); await load(); } catch (e) { setMsg({ error: e.message }); } };
  const toggle = (i) => act(() => api('PATCH', `/api/admin/v1/issuers/${enc(i.id)}`, { enabled: !i.enabled }), `${i.name} ${i.enabled ? 'disabled' : 'enabled'}.`);
  const remove = (i) => confirm(`Stop trusting ${i.issuer}?`) && act(() => api('DELETE', `/api/admin/v1/issuers/${enc(i.id)}`), `No longer trusting ${i.name}.`);
  return html`<div id="issuers"><h1>Token issuers</h1>
    <p class="muted small">Access tokens from these identity providers log in to mail and groupware (OAUTHBEARER, Bearer). Client secrets are write-only.</p>
    <${Alert} ...${msg} />
    <section class="card"><div class="scroll"><table><thead><tr><th>Name</th><th>Issuer</th><th>Account claim</th><th>Audiences</th><th>Keys</th><th>Status</th><th></th></tr></thead><tbody>
      ${issuers === null ? html`<tr><td colspan="7" class="muted">Loading…</td></tr>` : issuers.length === 0 ? html`<tr><td colspan="7" class="empty">No trusted issuers.</td></tr>` : issuers.map((i) => html`<tr key=${i.id} data-issuer=${i.issuer}>
        <td><strong>${i.name}</strong><div class="small muted">since ${when(i.createdAt)}</div></td><td class="mono small wrap">${i.issuer}</td><td><code>${i.accountClaim}</code></td>
        <td class="small">${i.audiences.length ? i.audiences.join(', ') : html`<span class="muted">any</span>`}</td>
        <td class="small">${i.algorithms.length ? i.algorithms.join(' ') : 'asymmetric'}${i.introspectionUrl ? html`<div class="muted">+ introspection${i.hasClientSecret ? ' (secret set)' : ''}</div>` : null}</td>
        <td>${i.enabled ? html`<span class="badge ok">enabled</span>` : html`<span class="badge bad">disabled</span>`}</td>
        <td class="num actions">${isAdmin && html`<button class="small" onClick=${() => toggle(i)}>${i.enabled ? 'Disable' : 'Enable'}</button><button class="small danger" onClick=${() => remove(i)}>Delete</button>`}</td></tr>`)}
    </tbody></table></div></section>
    ${isAdmin && html`<${NewIssuer} onCreated=${(i) => { setMsg({ success: `Trusting ${i.name}.` }); load(); }} />`}
  </div>`;
}
