/** GET /v1/audit/export — the trail (or a filtered part of it) as an NDJSON stream. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { auditNdjson, NDJSON_MEDIA_TYPE } from "../../stores/audit/ndjson.ts";
import { registerOperation } from "../operation.ts";
import { personalData } from "../personal-data.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import { PurposeHeaders } from "../purpose-headers.ts";
import { AuditEntry, AuditFilterQuery } from "./schemas.ts";

export const exportRoute = createRoute({
  method: "get",
  path: "/v1/audit/export",
  operationId: "audit.export",
  tags: ["Audit"],
  summary: "Export audit entries as NDJSON",
  security: [{ oauth2: ["audit:read"] }],
  middleware: personalData("audit.export", "audit:read", { body: false }),
  request: { headers: PurposeHeaders, query: AuditFilterQuery },
  responses: {
    200: {
      description: "One AuditEntry per line, oldest first",
      content: { [NDJSON_MEDIA_TYPE]: { schema: AuditEntry } },
    },
    ...problemResponses([...AUTHENTICATED, "PURPOSE_REQUIRED", "PURPOSE_NOT_ALLOWED"]),
  },
});

export function registerExport(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, exportRoute, (c) => {
    c.set("audit", { fieldsReleased: ["auditEntries"] });
    const response = c.body(
      auditNdjson(c.get("services").audit.export(c.req.valid("query"))),
      200,
      {
        "Content-Type": `${NDJSON_MEDIA_TYPE}; charset=utf-8`,
      },
    );
    // zod-openapi types NDJSON as a JSON body it cannot produce; it is a stream.
    return response as never;
  });
}
