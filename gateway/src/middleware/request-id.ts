/** Accepts a sane `X-Request-Id` or makes one, and echoes it on every response. */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";
import { setAnswerHeaders } from "../http/answer-headers.ts";
import { requestHeader } from "../http/request-access.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";
// Callers' ids land in logs and audit records, so only a short, plain alphabet is trusted.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export const requestId = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    const offered = requestHeader(c, REQUEST_ID_HEADER);
    const id = offered && ACCEPTABLE_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("requestId", id);
    setAnswerHeaders(c, { [REQUEST_ID_HEADER]: id });
    await next();
  });
