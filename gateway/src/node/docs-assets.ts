/** Loads Swagger UI's static files from the installed package, so /docs needs no CDN. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { DocsAssets } from "../services.ts";

const FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

export function loadDocsAssets(): DocsAssets {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("swagger-ui-dist/package.json"));
  const assets = new Map(
    Object.entries(FILES).map(([name, contentType]) => [
      name,
      { body: readFileSync(join(root, name), "utf8"), contentType },
    ]),
  );
  return { get: (name) => assets.get(name) };
}
