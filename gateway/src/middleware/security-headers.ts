/** Security headers on every response (OWASP REST guidance); /docs sets its own CSP. */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";
import { finishAnswerHeaders } from "../http/answer-headers.ts";

/**
 * Completes every response on its way out: the security headers, and the request's own fields
 * (request id, rate-limit state) on responses not built from them (http/answer-headers.ts).
 */
export const securityHeaders = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    await next();
    finishAnswerHeaders(c);
  });
