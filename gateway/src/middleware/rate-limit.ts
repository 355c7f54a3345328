/** Per-client rate limiting with the IETF RateLimit headers and 429 + Retry-After. */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";
import { ProblemError } from "../errors/problem.ts";
import { setAnswerHeaders } from "../http/answer-headers.ts";
import type { RateLimitDecision, RateLimitWindow } from "../stores/rate-limit/port.ts";

const MINUTE = 60;
const DAY = 86_400;

export function windowsOf(plan: { perMinute: number; perDay: number }): RateLimitWindow[] {
  return [
    { limit: plan.perMinute, windowSeconds: MINUTE },
    { limit: plan.perDay, windowSeconds: DAY },
  ];
}

/** draft-ietf-httpapi-ratelimit-headers: limit, remaining and reset of the binding window. */
export function rateLimitHeaders(
  decision: RateLimitDecision,
  windows: readonly RateLimitWindow[],
): Record<string, string> {
  return {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(decision.resetSeconds),
    "RateLimit-Policy": windows.map((w) => `${w.limit};w=${w.windowSeconds}`).join(", "),
  };
}

/**
 * Charges `cost` units against the calling client's plan: sets the RateLimit headers, or
 * throws RATE_LIMITED (429 with Retry-After) when the plan has no room for all of it.
 */
export async function chargeClient(c: Context<GatewayEnv>, cost: number): Promise<void> {
  const client = c.get("client");
  const windows = windowsOf(client.ratePlan);
  let decision: RateLimitDecision;
  try {
    decision = await c.get("services").rateLimits.consume(`client:${client.id}`, cost, windows);
  } catch (error) {
    // Operators choose: refuse (closed, the default) or admit unmetered (open) while the store is out.
    if (c.get("services").settings.rateLimitFailure !== "open") throw error;
    c.get("services").logger.log("warn", "rate-limit store unavailable; admitting unmetered", {
      requestId: c.get("requestId"),
      client: client.id,
    });
    return;
  }
  const headers = rateLimitHeaders(decision, windows);
  if (!decision.allowed) {
    c.get("services").metrics?.rateLimitRefusals.inc({ client: client.id });
    throw new ProblemError(
      "RATE_LIMITED",
      cost > decision.limit
        ? `This request costs ${cost}, more than the limit of ${decision.limit} per ${decision.windowSeconds} s; split it.`
        : `The limit of ${decision.limit} per ${decision.windowSeconds} s is used up.`,
      { retryAfterSeconds: decision.resetSeconds },
      { ...headers, "Retry-After": String(decision.resetSeconds) },
    );
  }
  setAnswerHeaders(c, headers);
}

/** Charges one unit per request against the calling client's plan. */
export const rateLimit = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    await chargeClient(c, 1);
    await next();
  });
