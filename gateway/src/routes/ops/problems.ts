/** GET /problems/{slug} — the documentation every problem `type` URI points at. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { ERROR_STATUS, ERROR_TITLE, type ErrorCode, problemType } from "../../errors/codes.ts";
import { ProblemError } from "../../errors/problem.ts";

export function registerProblemTypes(app: OpenAPIHono<GatewayEnv>): void {
  app.get("/problems/:slug", (c) => {
    const slug = c.req.param("slug");
    const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find(
      (candidate) => problemType(candidate) === `/problems/${slug}`,
    );
    if (code === undefined) throw new ProblemError("NOT_FOUND");
    c.header("Cache-Control", "public, max-age=86400");
    return c.json({
      type: problemType(code),
      code,
      title: ERROR_TITLE[code],
      status: ERROR_STATUS[code],
    });
  });
}
