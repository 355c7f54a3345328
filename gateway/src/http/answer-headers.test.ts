import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { GatewayEnv } from "../env.ts";
import { handleError } from "../errors/handler.ts";
import { ProblemError } from "../errors/problem.ts";
import { securityHeaders } from "../middleware/security-headers.ts";
import { API_SECURITY_HEADERS, answerJson, setAnswerHeaders } from "./answer-headers.ts";

/** A small app with the gateway's finishing middleware and a request's own fields set early. */
function app(): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use("*", securityHeaders());
  app.use("*", async (c, next) => {
    setAnswerHeaders(c, { "X-Request-Id": "req-1", "RateLimit-Remaining": "9" });
    await next();
  });
  app.onError(handleError);
  app.get("/record", (c) =>
    answerJson(c, { ok: true }, 200, { "Cache-Control": "private", "X-Frame-Options": "ALLOW" }),
  );
  app.get("/plain", (c) => answerJson(c, { ok: true }, 200));
  app.get("/json", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    c.header("x-request-id", "route-own");
    return c.json({ ok: true });
  });
  app.get("/problem", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    throw new ProblemError("PERSON_NOT_FOUND");
  });
  return app;
}

describe("answer headers", () => {
  it("builds an answer from the request's fields, the route's own and the security headers", async () => {
    const response = await app().request("/record");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(response.headers.get("ratelimit-remaining")).toBe("9");
    // The route's value replaces the default, and appears once (a duplicate would be joined).
    expect(response.headers.get("cache-control")).toBe("private");
    // Enforced headers cannot be loosened by a route.
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  it("lists, as API_SECURITY_HEADERS, exactly the security headers of a plain answer", async () => {
    const response = await app().request("/plain");
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) {
      expect(response.headers.get(name), name).toBe(value);
    }
    expect(Object.keys(API_SECURITY_HEADERS)).toHaveLength(7);
  });

  it("completes a response built another way without overriding the route's own fields", async () => {
    const response = await app().request("/json");
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(response.headers.get("x-request-id")).toBe("route-own");
    expect(response.headers.get("ratelimit-remaining")).toBe("9");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=31536000");
  });

  it("gives a problem the request's fields but not the route's cache lifetime", async () => {
    const response = await app().request("/problem");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("ratelimit-remaining")).toBe("9");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });
});
