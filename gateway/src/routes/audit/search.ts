/** GET /v1/audit/records — oversight searches the trail by client and time range. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { registerOperation } from "../operation.ts";
import { personalData } from "../personal-data.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import { PurposeHeaders } from "../purpose-headers.ts";
import { AuditPage, AuditPageQuery } from "./schemas.ts";

export const searchRoute = createRoute({
  method: "get",
  path: "/v1/audit/records",
  operationId: "audit.search",
  tags: ["Audit"],
  summary: "Search the audit trail by client and time range",
  description:
    "For oversight (scope `audit:read`, purpose `oversight`). Auditors' own reads are audited too.",
  security: [{ oauth2: ["audit:read"] }],
  middleware: personalData("audit.search", "audit:read", { body: false }),
  request: { headers: PurposeHeaders, query: AuditPageQuery },
  responses: {
    200: {
      description: "A page of entries, oldest first",
      content: { "application/json": { schema: AuditPage } },
    },
    ...problemResponses([
      ...AUTHENTICATED,
      "PURPOSE_REQUIRED",
      "PURPOSE_NOT_ALLOWED",
      "NIK_IN_URL",
    ]),
  },
});

export function registerSearch(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, searchRoute, async (c) => {
    const query = c.req.valid("query");
    const page = await c.get("services").audit.query(query);
    c.set("audit", { fieldsReleased: ["auditEntries"] });
    return c.json(
      { entries: [...page.entries], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
      200,
    );
  });
}
