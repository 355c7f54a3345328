/** Per-client rate limiting with the IETF RateLimit headers and 429 + Retry-After. */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";
import { handleError } from "../errors/handler.ts";
import { ProblemError } from "../errors/problem.ts";
import { setAnswerHeaders } from "../http/answer-headers.ts";
import type { Services } from "../services.ts";
import type { RateLimitDecision, RateLimitWindow } from "../stores/rate-limit/port.ts";
import { KnownRoom } from "./known-room.ts";

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

/** What the store made of a charge: the answer's RateLimit headers, or why it was refused. */
export type ChargeOutcome =
  | { readonly headers: Record<string, string> }
  | { readonly refusal: Error };

const knownRooms = new WeakMap<Services, KnownRoom>();

/** This app's {@link KnownRoom}: one per set of services, as each app has its own clients. */
function knownRoomOf(services: Services): KnownRoom {
  let room = knownRooms.get(services);
  if (room === undefined) {
    room = new KnownRoom();
    knownRooms.set(services, room);
  }
  return room;
}

const bucketOf = (c: Context<GatewayEnv>) => `client:${c.get("client").id}`;

/** Asks the store to take `cost` units from the calling client's plan; never rejects. */
async function decideCharge(c: Context<GatewayEnv>, cost: number): Promise<ChargeOutcome> {
  const services = c.get("services");
  const client = c.get("client");
  const windows = windowsOf(client.ratePlan);
  const room = knownRoomOf(services);
  const ticket = room.sent(bucketOf(c), cost);
  let decision: RateLimitDecision;
  try {
    decision = await services.rateLimits.consume(ticket.key, cost, windows);
  } catch (error) {
    room.decided(ticket, undefined);
    // Operators choose: refuse (closed, the default) or admit unmetered (open) while the store is out.
    if (services.settings.rateLimitFailure !== "open") {
      return { refusal: error instanceof Error ? error : new Error(String(error)) };
    }
    services.logger.log("warn", "rate-limit store unavailable; admitting unmetered", {
      requestId: c.get("requestId"),
      client: client.id,
    });
    return { headers: {} };
  }
  room.decided(ticket, decision.remaining);
  const headers = rateLimitHeaders(decision, windows);
  if (decision.allowed) return { headers };
  services.metrics?.rateLimitRefusals.inc({ client: client.id });
  return {
    refusal: new ProblemError(
      "RATE_LIMITED",
      cost > decision.limit
        ? `This request costs ${cost}, more than the limit of ${decision.limit} per ${decision.windowSeconds} s; split it.`
        : `The limit of ${decision.limit} per ${decision.windowSeconds} s is used up.`,
      { retryAfterSeconds: decision.resetSeconds },
      { ...headers, "Retry-After": String(decision.resetSeconds) },
    ),
  };
}

/**
 * Charges `cost` units against the calling client's plan: sets the RateLimit headers, or
 * throws RATE_LIMITED (429 with Retry-After) when the plan has no room for all of it.
 */
export async function chargeClient(c: Context<GatewayEnv>, cost: number): Promise<void> {
  const outcome = await decideCharge(c, cost);
  if ("refusal" in outcome) throw outcome.refusal;
  setAnswerHeaders(c, outcome.headers);
}

export interface RateLimitOptions {
  /**
   * The route asks its sources while the charge is being decided, when this process knows the
   * client has room for it (see known-room.ts), and calls {@link settleCharge} before it
   * answers. This takes the store's round trip off the route's latency.
   */
  readonly alongsideSources?: boolean;
}

/**
 * Charges one unit per request against the calling client's plan, before the route runs or,
 * with `alongsideSources`, while it asks its sources. Either way nothing is answered before the
 * charge is decided, and a refusal wins over whatever the route came to.
 */
export const rateLimit = (options: RateLimitOptions = {}) =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    const services = c.get("services");
    const ahead =
      options.alongsideSources === true &&
      services.settings.askSourcesWhileCharging !== false &&
      knownRoomOf(services).admits(bucketOf(c), 1);
    if (!ahead) {
      await chargeClient(c, 1);
      await next();
      return;
    }
    const pending = decideCharge(c, 1);
    // Awaited below or by the route; until then a fault in it must not count as unhandled.
    pending.catch(() => undefined);
    c.set("pendingCharge", pending);
    await next();
    if (c.get("pendingCharge") === undefined) return;
    // The route answered without settling: an earlier middleware refused the request (its
    // purpose, its body), or the route does not settle. The charge still decides the answer.
    c.set("pendingCharge", undefined);
    const outcome = await pending;
    if ("refusal" in outcome) {
      await c.res.body?.cancel();
      c.error = outcome.refusal;
      c.res = handleError(outcome.refusal, c);
      return;
    }
    for (const name in outcome.headers) c.res.headers.set(name, outcome.headers[name] as string);
  });

/**
 * Waits for a charge started alongside the route's source calls: sets the RateLimit headers or
 * throws the refusal. Call it once the sources have answered and the audit note is set, before
 * building the answer; it does nothing when the charge was decided before the route ran.
 *
 * @example
 * const result = await services.dukcapil.lookup(nik, ctx);
 * c.set("audit", { nik, sources: [auditSource("dukcapil", result)], fieldsReleased });
 * await settleCharge(c);
 */
export async function settleCharge(c: Context<GatewayEnv>): Promise<void> {
  const pending = c.get("pendingCharge");
  if (pending === undefined) return;
  c.set("pendingCharge", undefined);
  const outcome = await pending;
  if ("refusal" in outcome) {
    if (outcome.refusal instanceof ProblemError && outcome.refusal.code === "RATE_LIMITED") {
      // What going ahead costs: operators weigh it with SIMPUL_ASK_SOURCES_WHILE_CHARGING.
      c.get("services").metrics?.rateLimitRefusalsAfterSources.inc({ client: c.get("client").id });
    }
    throw outcome.refusal;
  }
  setAnswerHeaders(c, outcome.headers);
}
