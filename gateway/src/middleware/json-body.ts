/** Body rules for JSON operations: media type, size (also for chunked bodies), well-formedness. */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";
import { ProblemError } from "../errors/problem.ts";
import { requestAccessOf, requestHeader } from "../http/request-access.ts";

const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;
const MAX_DEPTH = 16;
/** Single-record operations need a few hundred bytes; batches have their own streaming limits. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** Rejects non-JSON bodies (415), oversized ones (413, chunked too) and malformed JSON (400). */
export const jsonBody = (maxBytes = MAX_JSON_BODY_BYTES) => [
  createMiddleware<GatewayEnv>(async (c, next) => {
    if (!JSON_MEDIA_TYPE.test(requestHeader(c, "content-type") ?? "")) {
      throw new ProblemError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
    }
    const text = await requestAccessOf(c).readText(c, maxBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ProblemError("MALFORMED_JSON", "The body is not valid JSON.");
    }
    if (depthOf(parsed, 0) > MAX_DEPTH) {
      throw new ProblemError("INVALID_REQUEST", `JSON nesting deeper than ${MAX_DEPTH} levels.`);
    }
    // The operation's validator checks this value; anything reading the body through Hono's
    // cache gets the same text and never touches the stream again. Hono keeps promises there
    // (`bodyCache[key] = raw[key]()`), though its type says values.
    c.set("jsonBody", parsed);
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    await next();
  }),
];

function depthOf(value: unknown, depth: number): number {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return depth;
  let deepest = depth + 1;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(child, depth + 1));
    if (deepest > MAX_DEPTH) break;
  }
  return deepest;
}
