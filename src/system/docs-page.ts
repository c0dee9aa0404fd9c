/**
 * The docs page's HTML and its start-up script. No inline script or style (the page's CSP is `'self'` only):
 * the page loads Swagger UI from the Worker's own static assets and starts it with /api/v1/docs/init.js.
 */

/** Where scripts/static-assets.mjs puts the Swagger UI files inside the static assets directory. */
export const DOCS_UI_BASE = '/docs-ui/';

const API = '/api/v1';

/** Starts Swagger UI on the OpenAPI document. `validatorUrl: null`: no badge fetched from validator.swagger.io. */
export const DOCS_INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '${API}/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null,
    defaultModelsExpandDepth: 0, tryItOutEnabled: false });
});
`;

/** APP_NAME is configuration, not code: it is escaped before it goes into the page. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The page. `sections` is trusted, already-escaped HTML placed after the UI (e.g. the per-error-code
 * reference that problem `type` URLs point at).
 */
export function docsPage(appName: string, sections: readonly string[] = []): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(appName)} — API docs</title>
<link rel="stylesheet" href="${API}/docs/ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<noscript>The interactive docs need JavaScript. The raw document is at <a href="${API}/openapi.json">${API}/openapi.json</a>.</noscript>
${sections.join('\n')}
<script src="${API}/docs/ui/swagger-ui-bundle.js"></script>
<script src="${API}/docs/init.js"></script>
</body></html>`;
}
