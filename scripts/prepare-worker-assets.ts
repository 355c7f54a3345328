/** Prepares wrangler's assets directory: Swagger UI's files and the canonical schema seeds. */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCanonicalSchemas } from "../gateway/src/node/schema-registry.ts";

/** The `[assets] directory` of wrangler.toml, relative to the repository root. */
export const WORKER_ASSETS_DIR = ".wrangler/simpul-assets";
/** The files `/docs` needs; the worker reads them through its ASSETS binding. */
export const DOCS_FILES = ["swagger-ui.css", "swagger-ui-bundle.js"] as const;

const root = fileURLToPath(new URL("..", import.meta.url));
const swagger = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const target = join(root, WORKER_ASSETS_DIR, "docs");
mkdirSync(target, { recursive: true });
for (const file of DOCS_FILES) copyFileSync(join(swagger, file), join(target, file));
// Workers have no file system: the registry is seeded from this one file (read once per isolate).
const seeds = loadCanonicalSchemas();
mkdirSync(join(root, WORKER_ASSETS_DIR, "schemas"), { recursive: true });
writeFileSync(join(root, WORKER_ASSETS_DIR, "schemas", "canonical.json"), JSON.stringify(seeds));
console.log(
  `worker assets: ${DOCS_FILES.join(", ")} and ${seeds.length} canonical schemas → ${WORKER_ASSETS_DIR}`,
);
