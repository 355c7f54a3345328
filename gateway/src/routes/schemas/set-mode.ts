/** PUT /v1/schemas/{subject}/mode — a data steward sets how the subject may evolve. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { requireScope } from "../../middleware/auth.ts";
import { jsonBody } from "../../middleware/json-body.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import { CompatibilityMode, JSON_BODY_PROBLEMS, SubjectParams } from "./shared.ts";

const ModeBody = z.object({ mode: CompatibilityMode }).strict().openapi("SchemaMode");
const ModeResponse = z
  .object({ subject: z.string(), mode: CompatibilityMode })
  .strict()
  .openapi("SchemaSubjectMode");

export const setSchemaModeRoute = createRoute({
  method: "put",
  path: "/v1/schemas/{subject}/mode",
  operationId: "schemas.setMode",
  tags: ["Schemas"],
  summary: "Set a subject's compatibility mode",
  description:
    "Needs `schemas:publish`. May be set before the first version is published. The default is BACKWARD.",
  security: [{ oauth2: ["schemas:publish"] }],
  middleware: [requireScope("schemas:publish"), rateLimit(), ...jsonBody()] as const,
  request: {
    params: SubjectParams,
    body: { required: true, content: { "application/json": { schema: ModeBody } } },
  },
  responses: {
    200: {
      description: "The mode now in force",
      content: { "application/json": { schema: ModeResponse } },
    },
    ...problemResponses([...AUTHENTICATED, ...JSON_BODY_PROBLEMS]),
  },
});

export function registerSetSchemaMode(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, setSchemaModeRoute, async (c) => {
    const { subject } = c.req.valid("param");
    const { mode } = c.req.valid("json");
    await c.get("services").schemaRegistry.setMode(subject, mode);
    c.get("services").logger.log("info", "schema mode set", {
      subject,
      mode,
      clientId: c.get("client").id,
      requestId: c.get("requestId"),
    });
    return c.json({ subject, mode }, 200);
  });
}
