/** GET /v1/audit/records — oversight searches the trail by client and time range. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { audited } from "../../middleware/audited.ts";
import { requirePurpose, requireScope } from "../../middleware/auth.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
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
  middleware: [
    audited("audit.search"),
    requireScope("audit:read"),
    rateLimit(),
    requirePurpose(),
  ] as const,
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
  app.openapi(searchRoute, async (c) => {
    const query = c.req.valid("query");
    const page = await c.get("services").audit.query(query);
    c.set("audit", { fieldsReleased: ["auditEntries"] });
    return c.json(
      { entries: [...page.entries], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
      200,
    );
  });
}
