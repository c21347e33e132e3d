/** The sign-in form: one field, "API key", and a "Sign in" button. */
import { type Html, html } from '../html';

export function signInPage(csrf: string, message?: { text: string; kind: 'error' | 'info' }): Html {
  return html`<h1>Cathay console</h1>
<p>Support and operations sign in with their API key. It stays on the server for this session (8 hours at most).</p>
${message ? html`<p class="answer ${message.kind === 'error' ? 'refused' : 'ok'}" role="alert" id="sign-in-message">${message.text}</p>` : ''}
<form method="post" action="/console/sign-in" class="sign-in">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div class="field"><label for="api-key">API key</label>
  <input id="api-key" name="apiKey" type="password" required autocomplete="off" spellcheck="false" autofocus></div>
  <button type="submit">Sign in</button>
</form>`;
}
