/** Human API docs at /docs, served entirely by the gateway: no CDN, works with no internet. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { ProblemError } from "../../errors/problem.ts";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simpul API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="simpul-docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>`;

// Kept out of the page so the Content-Security-Policy can forbid inline scripts.
const INIT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#simpul-docs",
  deepLinking: true,
  tryItOutEnabled: false,
  validatorUrl: null
});`;

const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function registerDocs(app: OpenAPIHono<GatewayEnv>): void {
  app.get("/docs", (c) => {
    c.header("Content-Security-Policy", DOCS_CSP);
    return c.html(PAGE);
  });
  app.get("/docs/assets/:name", (c) => {
    const name = c.req.param("name");
    const asset =
      name === "init.js"
        ? { body: INIT, contentType: "text/javascript; charset=utf-8" }
        : c.get("services").docsAssets?.get(name);
    if (asset === undefined) throw new ProblemError("NOT_FOUND");
    c.header("Content-Type", asset.contentType);
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(asset.body);
  });
}
