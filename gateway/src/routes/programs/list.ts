/** GET /v1/programs — the program catalogue and the versioned rule set. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { RuleSet } from "../../../../schemas/src/enrolment.ts";
import type { GatewayEnv } from "../../env.ts";
import { requireScope } from "../../middleware/auth.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";

export const programsRoute = createRoute({
  method: "get",
  path: "/v1/programs",
  operationId: "programs.list",
  tags: ["Programs"],
  summary: "The program catalogue and the cross-program rules in force",
  security: [{ oauth2: ["programs:read"] }],
  middleware: [requireScope("programs:read"), rateLimit()] as const,
  responses: {
    200: { description: "The rule set", content: { "application/json": { schema: RuleSet } } },
    ...problemResponses(AUTHENTICATED),
  },
});

export function registerPrograms(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, programsRoute, (c) => {
    c.header("Cache-Control", "private, max-age=300");
    return c.json(c.get("services").ruleSet, 200);
  });
}
