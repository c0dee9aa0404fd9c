/**
 * The docs page's HTML and its start-up script, rendered at BUILD time by scripts/static-assets.mjs into the static
 * assets (src/system/docs-assets.ts serves them; the Worker does not import this file). No inline script or style
 * (the page's CSP is `'self'` only): the page loads Swagger UI from the Worker's own static assets and starts it
 * with /api/v1/docs/init.js.
 */
import { APP_NAME_SLOT, escapeHtml } from './docs-assets';
import { problemDocsHtml } from './problem-docs';

const API = '/api/v1';

/** Starts Swagger UI on the OpenAPI document. `validatorUrl: null`: no badge fetched from validator.swagger.io. */
export const DOCS_INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '${API}/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null,
    defaultModelsExpandDepth: 0, tryItOutEnabled: false });
});
`;

/**
 * The page, with APP_NAME_SLOT where the Worker puts the configured (escaped) APP_NAME, and the per-error-code
 * reference that problem `type` URLs point at after the UI.
 */
export function docsPage(): string {
  const sections = [problemDocsHtml()];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${APP_NAME_SLOT} — API docs</title>
<link rel="stylesheet" href="${API}/docs/ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<noscript>The interactive docs need JavaScript. The raw document is at <a href="${API}/openapi.json">${API}/openapi.json</a>.</noscript>
${sections.join('\n')}
<script src="${API}/docs/ui/swagger-ui-bundle.js"></script>
<script src="${API}/docs/init.js"></script>
</body></html>`;
}
