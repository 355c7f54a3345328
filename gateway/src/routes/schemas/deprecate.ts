/** POST /v1/schemas/{subject}/versions/{version}/deprecate — point readers at a successor. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { ProblemError } from "../../errors/problem.ts";
import { requireScope } from "../../middleware/auth.ts";
import { jsonBody } from "../../middleware/json-body.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import {
  JSON_BODY_PROBLEMS,
  notFound,
  SchemaVersionSummary,
  Semver,
  summaryOf,
  VersionParams,
} from "./shared.ts";

const DeprecateBody = z
  .object({
    successor: Semver.openapi({ description: "A published version of the same subject." }),
  })
  .strict()
  .openapi("SchemaDeprecateRequest");

export const deprecateSchemaRoute = createRoute({
  method: "post",
  path: "/v1/schemas/{subject}/versions/{version}/deprecate",
  operationId: "schemas.deprecate",
  tags: ["Schemas"],
  summary: "Deprecate a version in favour of a successor",
  description:
    "Needs `schemas:publish`. The version stays readable; readers see `deprecated: true` and the successor to move to.",
  security: [{ oauth2: ["schemas:publish"] }],
  middleware: [requireScope("schemas:publish"), rateLimit(), ...jsonBody()] as const,
  request: {
    params: VersionParams,
    body: { required: true, content: { "application/json": { schema: DeprecateBody } } },
  },
  responses: {
    200: {
      description: "The deprecated version",
      content: { "application/json": { schema: SchemaVersionSummary } },
    },
    ...problemResponses([...AUTHENTICATED, ...JSON_BODY_PROBLEMS, "SCHEMA_NOT_FOUND"]),
  },
});

export function registerDeprecateSchema(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, deprecateSchemaRoute, async (c) => {
    const { subject, version } = c.req.valid("param");
    const { successor } = c.req.valid("json");
    if (successor === version) {
      throw new ProblemError("INVALID_REQUEST", "A version cannot be its own successor.", {
        errors: [{ pointer: "/successor", detail: "must differ from the deprecated version" }],
      });
    }
    const outcome = await c.get("services").schemaRegistry.deprecate(subject, version, {
      successor,
      deprecatedBy: c.get("client").id,
      deprecatedAt: new Date().toISOString(),
    });
    if (!outcome.ok) {
      throw notFound(subject, outcome.reason === "VERSION_NOT_FOUND" ? version : successor);
    }
    return c.json(summaryOf(outcome.record), 200);
  });
}
