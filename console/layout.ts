/** The page shell every console page shares: head, navigation by role, sign-out, CSRF header for htmx. */
import { type Html, html } from './html';
import type { Session } from './session';

export const ASSETS = '/console/assets';

export function canDo(session: Session, allowed: ReadonlyArray<'support' | 'ops'>): boolean {
  return session.role === 'admin' || (allowed as readonly string[]).includes(session.role);
}

export function whoLabel(s: Pick<Session, 'role' | 'name'>): string {
  return `${s.role} (${s.name})`;
}

function head(title: string): Html {
  return html`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Cathay console</title>
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true,"attributesToSettle":["class","width","height"]}'>
<link rel="stylesheet" href="${ASSETS}/console.css">
<script src="${ASSETS}/htmx.min.js" defer></script>
<script src="${ASSETS}/console.js" defer></script>`;
}

export function page(opts: { title: string; session: Session; current: string; body: Html }): Html {
  const { session } = opts;
  const links: Array<[string, string, boolean]> = [
    ['/console', 'Failed orders', true],
    ['/console/inventory', 'Inventory', canDo(session, ['ops'])],
    ['/console/search-index', 'Search index', canDo(session, ['ops'])],
    ['/console/returns', 'Returns', canDo(session, ['support', 'ops'])],
  ];
  return html`<!doctype html>
<html lang="en">
<head>${head(opts.title)}</head>
<body hx-headers='${JSON.stringify({ 'X-CSRF-Token': session.csrf })}'>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <nav aria-label="Console">
    <ul>
      ${links
        .filter(([, , show]) => show)
        .map(([href, label]) => html`<li><a href="${href}"${opts.current === href ? html` aria-current="page"` : ''}>${label}</a></li>`)}
    </ul>
  </nav>
  <div class="who">
    <span>Signed in as <strong>${whoLabel(session)}</strong></span>
    <form method="post" action="/console/sign-out">
      <input type="hidden" name="_csrf" value="${session.csrf}">
      <button type="submit" class="link">Sign out</button>
    </form>
  </div>
</header>
<main id="main" tabindex="-1">
${opts.body}
</main>
</body>
</html>`;
}

/** A page for someone not signed in (sign-in form, errors). */
export function bare(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>${head(title)}</head>
<body>
<main id="main" class="narrow">
${body}
</main>
</body>
</html>`;
}
