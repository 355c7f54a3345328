/** Security headers on every response (OWASP REST guidance); /docs sets its own CSP. */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export const securityHeaders = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", API_CSP);
    // Personal data must never sit in a shared cache; routes that are safe to cache say so.
    if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  });
