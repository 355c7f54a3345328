/** Refuses any URL that carries what looks like a NIK: URLs end up in logs, caches and history. */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";
import { ProblemError } from "../errors/problem.ts";

const SIXTEEN_DIGITS = /\d{16}/;

export const refuseNikInUrl = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    const url = c.req.url;
    const pathAndQuery = url.slice(url.indexOf("/", url.indexOf("//") + 2));
    let decoded = pathAndQuery;
    try {
      decoded = decodeURIComponent(pathAndQuery);
    } catch {
      // A malformed escape is still checked in its raw form.
    }
    if (SIXTEEN_DIGITS.test(pathAndQuery) || SIXTEEN_DIGITS.test(decoded)) {
      throw new ProblemError(
        "NIK_IN_URL",
        "Send the NIK in a JSON body with POST, never in a URL.",
      );
    }
    await next();
  });
