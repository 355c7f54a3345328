/** GET /v1/schemas — every subject in the registry with its latest version and mode. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { requireScope } from "../../middleware/auth.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import { CompatibilityMode } from "./shared.ts";

const SubjectList = z
  .object({
    subjects: z.array(
      z
        .object({
          subject: z.string(),
          latestVersion: z.string(),
          versionCount: z.number().int(),
          mode: CompatibilityMode,
        })
        .strict(),
    ),
  })
  .strict()
  .openapi("SchemaSubjectList");

export const listSchemasRoute = createRoute({
  method: "get",
  path: "/v1/schemas",
  operationId: "schemas.list",
  tags: ["Schemas"],
  summary: "List the schema subjects",
  description:
    "The canonical schemas (person, household, enrolment, reference code lists, …) and any subject a data steward published, each with its latest version and compatibility mode.",
  security: [{ oauth2: ["schemas:read"] }],
  middleware: [requireScope("schemas:read"), rateLimit()] as const,
  responses: {
    200: { description: "The subjects", content: { "application/json": { schema: SubjectList } } },
    ...problemResponses(AUTHENTICATED),
  },
});

export function registerListSchemas(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, listSchemasRoute, async (c) => {
    const subjects = await c.get("services").schemaRegistry.listSubjects();
    return c.json({ subjects: [...subjects] }, 200);
  });
}
