/** The middleware chain every personal-data operation runs, in the one order that is safe. */
import type { MiddlewareHandler } from "hono";
import type { Scope } from "../clients/client.ts";
import type { GatewayEnv } from "../env.ts";
import { audited } from "../middleware/audited.ts";
import { requirePurpose, requireScope } from "../middleware/auth.ts";
import { jsonBody } from "../middleware/json-body.ts";
import { rateLimit } from "../middleware/rate-limit.ts";

/**
 * Audit first (so refusals are recorded too), then who is calling, how often, why, and only
 * then the body. Pass `body: false` for GET operations; a batch charges its own cost later.
 * `alongside-sources` charges per request while the route asks its sources, when the client is
 * known to have room; such a route calls `settleCharge` before it answers (rate-limit.ts).
 *
 * @example
 * createRoute({ ..., middleware: personalData("audit.subject", "audit:read") });
 * createRoute({ ..., middleware: personalData("identity.lookup", "identity:lookup", {
 *   charge: "alongside-sources",
 * }) });
 */
export function personalData(
  operationId: string,
  scope: Scope,
  options: {
    body?: number | false;
    charge?: "per-request" | "alongside-sources" | "by-handler";
  } = {},
): MiddlewareHandler<GatewayEnv>[] {
  const { body = undefined, charge = "per-request" } = options;
  return [
    audited(operationId),
    requireScope(scope),
    ...(charge === "by-handler"
      ? []
      : [rateLimit({ alongsideSources: charge === "alongside-sources" })]),
    requirePurpose(),
    ...(body === false ? [] : jsonBody(body)),
  ];
}
