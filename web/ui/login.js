// The sign-in form shared by both pages: a CSRF token first, then the primary password.
import { useEffect, useState } from './vendor/hooks.mjs';
import { Alert, api, html } from './lib.js';

export function Login({ onLogin, title, notice }) {
  const [token, setToken] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const fetchToken = () => api('GET', '/api/web/v1/login-token').then((r) => setToken(r.csrf)).catch((e) => setError(e.message));
  useEffect(() => { fetchToken(); }, []);

  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const session = await api('POST', '/api/web/v1/login', { login: String(form.get('login')), password: String(form.get('password')) }, { csrf: token });
      onLogin(session);
    } catch (e) {
      setError(e.message === 'invalid login or password' ? 'The login or password is not right.' : e.message);
      fetchToken();
    } finally {
      setBusy(false);
    }
  }

  return html`<div class="login-wrap"><div class="card login">
    <div class="brand"><img src="/ui/favicon.svg" alt="" />Portcullis</div>
    <h1>${title}</h1>
    ${notice && html`<p class="muted">${notice}</p>`}
    <${Alert} error=${error} />
    <form onSubmit=${submit} id="login-form">
      <div class="field"><label for="login">Login or mail address</label><input id="login" name="login" type="text" autocomplete="username" required maxlength="320" /></div>
      <div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" /></div>
      <button class="primary" type="submit" disabled=${busy || !token}>${busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
    <p class="small muted">Use your account password. Application passwords only work in mail and calendar apps.</p>
  </div></div>`;
}

/** Loads the current session (or null), and wires "401 anywhere" back to the sign-in form. */
export async function currentSession() {
  try {
    return await api('GET', '/api/web/v1/session');
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}
