/**
 * W3C Trace Context: continues the caller's trace (or starts one) and hands sources a
 * `traceparent` naming this gateway's span as the parent.
 */
import { createMiddleware } from "hono/factory";
import { randomHex } from "../crypto/random-hex.ts";
import type { GatewayEnv } from "../env.ts";
import { requestHeader } from "../http/request-access.ts";

// W3C Trace Context §3.2: version 00, 32-hex trace id, 16-hex parent id, 2-hex flags.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO = /^0+$/;

export interface TraceContext {
  readonly traceId: string;
  /** This gateway's span, the parent of every source call it makes. */
  readonly spanId: string;
  /** The header to send to sources. */
  readonly traceparent: string;
}

export function continueTrace(incoming: string | undefined): TraceContext {
  const match = incoming ? TRACEPARENT.exec(incoming.trim()) : null;
  const valid = match && !ALL_ZERO.test(match[1] ?? "") && !ALL_ZERO.test(match[2] ?? "");
  const traceId = valid ? (match[1] as string) : randomHex(16);
  const flags = valid ? (match[3] as string) : "01";
  const spanId = randomHex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${flags}` };
}

export const traceContext = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    c.set("trace", continueTrace(requestHeader(c, "traceparent")));
    await next();
  });
