// Application passwords, the same card on the self-service page and in an admin's user view:
// the list, revoke, and a create form whose secret is shown once.
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, ago, api, html, when } from './lib.js';

// What each scope means to someone choosing it; LDAP is how Dovecot-style servers check passwords.
export const SCOPES = [
  ['imap', 'IMAP', 'read mail'], ['smtp', 'SMTP', 'send mail'], ['pop3', 'POP3', 'download mail'], ['jmap', 'JMAP', 'mail over the web API'],
  ['dav', 'CalDAV / CardDAV', 'calendars and contacts'], ['sieve', 'Sieve', 'mail filters'],
  ['ldap', 'Mail apps via the directory (LDAP)', 'needed when the mail server checks passwords against this directory'],
  ['http', 'Other apps (HTTP)', 'services that ask Portcullis over HTTP'],
];

export function CreatedSecret({ created, onDone }) {
  const [copied, setCopied] = useState(false);
  const copy = () => navigator.clipboard.writeText(created.secret).then(() => setCopied(true), () => setCopied(false));
  return html`<div class="secret" id="new-secret">
    <div class="grow"><strong>${created.appPassword.name}</strong><div class="small muted">Type this into the app instead of the account password. It is shown only now.</div></div>
    <code id="secret-value">${created.secret}</code>
    <button type="button" onClick=${copy}>${copied ? 'Copied' : 'Copy'}</button>
    <button type="button" class="primary" onClick=${onDone}>Done</button>
  </div>`;
}

function ScopeChoices() {
  return html`<div class="field"><label>Where it may be used</label><div class="checks scopes">${SCOPES.map(([value, label, hint]) => html`
    <label title=${hint}><input type="checkbox" name="scope" value=${value} checked=${value === 'imap' || value === 'smtp'} /><span>${label}<span class="hint">${hint}</span></span></label>`)}</div>
    <p class="small muted">If your mail server checks passwords through the directory (for example Dovecot with an LDAP passdb), tick “Mail apps via the directory (LDAP)” as well as IMAP or POP3.</p></div>`;
}

function Row({ ap, canEdit, onRevoke }) {
  return html`<tr key=${ap.id} data-name=${ap.name}>
    <td><strong>${ap.name}</strong></td>
    <td>${ap.scopes.map((s) => html`<span class="badge info">${s}</span>`)}</td>
    <td class="small">${when(ap.createdAt)}</td>
    <td class="small">${ap.expiresAt ? when(ap.expiresAt) : 'never'}</td>
    <td class="small">${ap.lastUsedAt ? html`${ago(ap.lastUsedAt)}<div class="muted">${ap.lastUsedProtocol} · ${ap.lastUsedIp ?? 'unknown address'}</div>` : html`<span class="muted">never</span>`}</td>
    <td class="num">${canEdit ? html`<button class="danger small" onClick=${() => onRevoke(ap)}>Revoke</button>` : null}</td>
  </tr>`;
}

/** `base`: the collection URL (self-service or an admin's view of one user). */
export function AppPasswords({ base, canEdit = true, owner = null }) {
  const [list, setList] = useState(null);
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api('GET', base).then(setList).catch((e) => setError(e.message));
  useEffect(() => { setCreated(null); load(); }, [base]);

  async function create(event) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const scopes = form.getAll('scope').map(String);
    const days = Number(form.get('expires'));
    setError(null);
    if (scopes.length === 0) return setError('Choose at least one protocol.');
    try {
      setCreated(await api('POST', base, { name: String(form.get('name')).trim(), scopes, expiresInDays: days > 0 ? days : null }));
      formEl.reset();
      load();
    } catch (e) { setError(e.message); }
  }

  async function revoke(ap) {
    if (!confirm(`Revoke "${ap.name}"? Apps using it will stop working.`)) return;
    try { await api('DELETE', `${base}/${encodeURIComponent(ap.id)}`); load(); } catch (e) { setError(e.message); }
  }

  return html`<section class="card" id="app-passwords">
    <header><h2>Application passwords</h2><span class="muted small">${owner ? `of ${owner}` : 'for mail, calendar and contacts apps'}</span></header>
    <${Alert} error=${error} />
    ${created && html`<${CreatedSecret} created=${created} onDone=${() => setCreated(null)} />`}
    ${list === null ? html`<p class="muted">Loading…</p>` : list.length === 0 ? html`<p class="empty">No application passwords yet.</p>` : html`
    <div class="scroll"><table><thead><tr><th>Name</th><th>Protocols</th><th>Created</th><th>Expires</th><th>Last used</th><th></th></tr></thead>
      <tbody>${list.map((ap) => html`<${Row} ap=${ap} canEdit=${canEdit} onRevoke=${revoke} />`)}</tbody></table></div>`}
    ${canEdit && html`<form onSubmit=${create} id="new-app-password">
      <h3>New application password</h3>
      <div class="row">
        <div class="grow"><label for="ap-name">Name</label><input id="ap-name" name="name" type="text" required maxlength="128" placeholder="Thunderbird on laptop" /></div>
        <div><label for="ap-expires">Expires</label><select id="ap-expires" name="expires">
          <option value="0">never</option><option value="30">in 30 days</option><option value="90">in 90 days</option><option value="365">in a year</option></select></div>
      </div>
      <${ScopeChoices} />
      <button class="primary" type="submit">Create</button>
    </form>`}
  </section>`;
}
