import path from 'node:path';
import express from 'express';

/**
 * `/docs`: the interactive API reference, Scalar's standalone bundle rendering `/openapi.json`.
 * Everything is served from node_modules (the page works offline, no CDN); the configuration is
 * a data attribute, not an inline script, so a strict `script-src 'self'` holds.
 */
// The package exports no subpath for the browser bundle: find it beside its main entry (dist/index.js).
const SCALAR_BUNDLE = path.join(path.dirname(require.resolve('@scalar/api-reference')), 'browser/standalone.js');

/**
 * Scalar's options: nothing from outside the origin — no web fonts (a CDN), no "Ask AI" agent
 * (it queries Scalar's registry through their proxy), no hosted client.
 */
const CONFIGURATION = JSON.stringify({
  withDefaultFonts: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
  hideClientButton: true,
  telemetry: false,
  theme: 'default',
  layout: 'modern',
  defaultOpenAllTags: false,
});

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cathay Shop API reference</title>
<link rel="icon" href="data:,">
</head>
<body>
<script id="api-reference" data-url="/openapi.json" data-configuration='${escapeAttribute(CONFIGURATION)}'></script>
<script src="/docs/assets/scalar.js"></script>
</body>
</html>
`;
}

export function apiReferencePage(): express.Router {
  const router = express.Router();
  const html = pageHtml();
  router.get('/docs', (_req, res) => {
    res.type('html').setHeader('Cache-Control', 'no-cache').send(html);
  });
  router.get('/docs/assets/scalar.js', (_req, res, next) => {
    res.sendFile(SCALAR_BUNDLE, { maxAge: '1d', immutable: false }, (err) => err && next(err));
  });
  return router;
}
