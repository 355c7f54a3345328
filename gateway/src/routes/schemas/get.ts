/** GET /v1/schemas/{subject}/versions/{version} — one version's document and metadata. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { requireScope } from "../../middleware/auth.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import { notFound, SchemaVersion, summaryOf, VersionParams } from "./shared.ts";

export const getSchemaRoute = createRoute({
  method: "get",
  path: "/v1/schemas/{subject}/versions/{version}",
  operationId: "schemas.get",
  tags: ["Schemas"],
  summary: "Get one version of a schema",
  description:
    "The JSON Schema document with who published it and when, and whether it is deprecated in favour of a successor.",
  security: [{ oauth2: ["schemas:read"] }],
  middleware: [requireScope("schemas:read"), rateLimit()] as const,
  request: { params: VersionParams },
  responses: {
    200: {
      description: "The version",
      content: { "application/json": { schema: SchemaVersion } },
    },
    ...problemResponses([...AUTHENTICATED, "SCHEMA_NOT_FOUND"]),
  },
});

export function registerGetSchema(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, getSchemaRoute, async (c) => {
    const { subject, version } = c.req.valid("param");
    const record = await c.get("services").schemaRegistry.getVersion(subject, version);
    if (record === undefined) throw notFound(subject, version);
    return c.json({ ...summaryOf(record), document: { ...record.document } }, 200);
  });
}
