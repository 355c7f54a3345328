/** The schema registry's routes: data stewards publish versions, everyone reads and checks. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { registerCheckSchema } from "./check.ts";
import { registerDeprecateSchema } from "./deprecate.ts";
import { registerGetSchema } from "./get.ts";
import { registerListSchemas } from "./list.ts";
import { registerPublishSchema } from "./publish.ts";
import { registerSetSchemaMode } from "./set-mode.ts";
import { registerSchemaVersions } from "./versions.ts";

export function registerSchemas(app: OpenAPIHono<GatewayEnv>): void {
  registerListSchemas(app);
  registerSchemaVersions(app);
  registerGetSchema(app);
  registerCheckSchema(app);
  registerPublishSchema(app);
  registerSetSchemaMode(app);
  registerDeprecateSchema(app);
}
