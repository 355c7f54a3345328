/** GET /v1/schemas/{subject}/versions — the versions of one subject, oldest first. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { requireScope } from "../../middleware/auth.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import {
  CompatibilityMode,
  notFound,
  SchemaVersionSummary,
  SubjectParams,
  summaryOf,
} from "./shared.ts";

const VersionList = z
  .object({ subject: z.string(), mode: CompatibilityMode, versions: z.array(SchemaVersionSummary) })
  .strict()
  .openapi("SchemaVersionList");

export const schemaVersionsRoute = createRoute({
  method: "get",
  path: "/v1/schemas/{subject}/versions",
  operationId: "schemas.versions",
  tags: ["Schemas"],
  summary: "List the versions of a subject",
  security: [{ oauth2: ["schemas:read"] }],
  middleware: [requireScope("schemas:read"), rateLimit()] as const,
  request: { params: SubjectParams },
  responses: {
    200: {
      description: "Versions, oldest first, with who published them and whether deprecated",
      content: { "application/json": { schema: VersionList } },
    },
    ...problemResponses([...AUTHENTICATED, "SCHEMA_NOT_FOUND"]),
  },
});

export function registerSchemaVersions(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, schemaVersionsRoute, async (c) => {
    const { subject } = c.req.valid("param");
    const registry = c.get("services").schemaRegistry;
    const versions = await registry.listVersions(subject);
    if (versions.length === 0) throw notFound(subject);
    return c.json(
      { subject, mode: await registry.getMode(subject), versions: versions.map(summaryOf) },
      200,
    );
  });
}
