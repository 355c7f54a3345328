/** The oversight API: search, "who read this person's data", chain verification, export. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { registerExport } from "./export.ts";
import { registerSearch } from "./search.ts";
import { registerSubject } from "./subject.ts";
import { registerVerifyChain } from "./verify.ts";

export function registerAudit(app: OpenAPIHono<GatewayEnv>): void {
  registerSearch(app);
  registerSubject(app);
  registerVerifyChain(app);
  registerExport(app);
}
