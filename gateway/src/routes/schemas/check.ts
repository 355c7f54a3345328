/** POST /v1/schemas/{subject}/check — would this candidate be accepted? Nothing is published. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { requireScope } from "../../middleware/auth.ts";
import { jsonBody } from "../../middleware/json-body.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import {
  admitDocument,
  CompatibilityReport,
  JSON_BODY_PROBLEMS,
  judge,
  MAX_SCHEMA_BODY_BYTES,
  SchemaDocument,
  SubjectParams,
} from "./shared.ts";

const CheckRequest = z.object({ document: SchemaDocument }).strict().openapi("SchemaCheckRequest");

export const checkSchemaRoute = createRoute({
  method: "post",
  path: "/v1/schemas/{subject}/check",
  operationId: "schemas.check",
  tags: ["Schemas"],
  summary: "Check a candidate schema against the registry without publishing it",
  description:
    "Admits the document as a publish would (2020-12 dialect, `$id`, no external `$ref`) and compares it with the published versions under the subject's mode. Every difference is listed with its JSON pointer and why it does or does not break the mode.",
  security: [{ oauth2: ["schemas:read"] }],
  middleware: [
    requireScope("schemas:read"),
    rateLimit(),
    ...jsonBody(MAX_SCHEMA_BODY_BYTES),
  ] as const,
  request: {
    params: SubjectParams,
    body: { required: true, content: { "application/json": { schema: CheckRequest } } },
  },
  responses: {
    200: {
      description: "The compatibility answer; `compatible: false` is not an error here",
      content: { "application/json": { schema: CompatibilityReport } },
    },
    ...problemResponses([...AUTHENTICATED, ...JSON_BODY_PROBLEMS, "SCHEMA_INVALID"]),
  },
});

export function registerCheckSchema(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, checkSchemaRoute, async (c) => {
    const { subject } = c.req.valid("param");
    const { document } = c.req.valid("json");
    const registry = c.get("services").schemaRegistry;
    await admitDocument(registry, subject, document);
    const versions = await registry.listVersions(subject);
    const { report } = await judge(registry, subject, document, versions);
    return c.json(report, 200);
  });
}
