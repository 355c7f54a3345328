/** GET /v1/audit/verify — recompute the hash chain and name the first bad record, if any. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { registerOperation } from "../operation.ts";
import { personalData } from "../personal-data.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";
import { PurposeHeaders } from "../purpose-headers.ts";

const VerifyQuery = z
  .object({
    from: z.coerce
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: "First sequence number." }),
    to: z.coerce.number().int().min(1).optional().openapi({ description: "Last sequence number." }),
  })
  .strict();

const Verification = z
  .object({
    ok: z.boolean(),
    count: z.number().int(),
    firstBadSequence: z.number().int().optional(),
    reason: z
      .enum(["MISSING", "MALFORMED", "REORDERED", "ALTERED", "BROKEN_LINK", "HEAD_MISMATCH"])
      .optional(),
    head: z.object({ sequence: z.number().int(), hash: z.string(), time: z.string().optional() }),
  })
  .openapi("AuditVerification");

export const verifyChainRoute = createRoute({
  method: "get",
  path: "/v1/audit/verify",
  operationId: "audit.verify",
  tags: ["Audit"],
  summary: "Verify the audit trail's hash chain",
  description:
    "Detects any altered, removed or reordered record. Keep `head` somewhere outside the gateway: a later head that does not extend it means the tail was rewritten.",
  security: [{ oauth2: ["audit:read"] }],
  middleware: personalData("audit.verify", "audit:read", { body: false }),
  request: { headers: PurposeHeaders, query: VerifyQuery },
  responses: {
    200: {
      description: "The verdict and the current head",
      content: { "application/json": { schema: Verification } },
    },
    ...problemResponses([...AUTHENTICATED, "PURPOSE_REQUIRED", "PURPOSE_NOT_ALLOWED"]),
  },
});

export function registerVerifyChain(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, verifyChainRoute, async (c) => {
    const { audit } = c.get("services");
    const [verdict, head] = await Promise.all([audit.verify(c.req.valid("query")), audit.head()]);
    c.set("audit", { fieldsReleased: [] });
    return c.json({ ...verdict, head }, 200);
  });
}
