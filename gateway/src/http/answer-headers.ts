/**
 * The headers every answer to a request carries (its request id, the rate-limit state, the
 * security defaults), kept in one plain record per request rather than through Hono's
 * `c.header`, which makes a Fetch `Headers` on first use.
 *
 * Why: an answer built by {@link answerWith} or {@link answerJson} takes the record as its init
 * headers, and on Node @hono/node-server writes such a record straight to `writeHead`; with
 * `c.header`, `c.json` and the security middleware, one lookup built a `Headers`, set about
 * fourteen fields on it one by one (each name and value checked), and had them sorted and copied
 * back into a record (lookups at 0.82 × the CPU without it; load/PROFILE.md, sixth round).
 * Any other response (`c.json`, `c.body`, a problem) gets the record merged in by
 * {@link finishAnswerHeaders}, so every answer carries the same fields whichever way it was built.
 */
import type { Context } from "hono";
import type { TypedResponse } from "hono/types";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSONParsed } from "hono/utils/types";
import type { GatewayEnv } from "../env.ts";

/** Header names as the record keeps them: lower case, so one field can never appear twice. */
export type AnswerHeaders = Record<string, string>;

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Set on every answer, whatever the route said (OWASP REST guidance). */
const ENFORCED: AnswerHeaders = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
};

/**
 * Defaults a route may replace: /docs sets its own CSP, and routes safe to cache say so; personal
 * data must never sit in a shared cache, hence `no-store` unless a route says otherwise.
 */
const DEFAULTS: AnswerHeaders = {
  "content-security-policy": API_CSP,
  "cache-control": "no-store",
};

/** Every security header an API answer carries when its route sets none of its own. */
export const API_SECURITY_HEADERS: Readonly<AnswerHeaders> = Object.assign({}, DEFAULTS, ENFORCED);

/** Answers built from the record, which need nothing merged afterwards. */
const builtFromRecord = new WeakSet<Response>();

function recordOf(c: Context<GatewayEnv>): AnswerHeaders {
  let record = c.get("answerHeaders");
  if (record === undefined) {
    record = {};
    c.set("answerHeaders", record);
  }
  return record;
}

/** Adds fields to this request's answer, whichever response it ends up being. */
export function setAnswerHeaders(c: Context<GatewayEnv>, fields: Readonly<AnswerHeaders>): void {
  const record = recordOf(c);
  for (const name in fields) record[name.toLowerCase()] = fields[name] as string;
}

/**
 * An answer carrying the request's fields, the security headers and `extra` (the route's own,
 * which replace the defaults), with no `Headers` object built on the way out.
 */
export function answerWith(
  c: Context<GatewayEnv>,
  body: string,
  status: number,
  contentType: string,
  extra: Readonly<AnswerHeaders> = {},
): Response {
  // Object.assign, not spreads: V8 merges records of header names by spread about thirty times
  // slower (`{ ...a, ...b }` of these took 15 µs per answer).
  const headers: AnswerHeaders = Object.assign({}, DEFAULTS, c.get("answerHeaders"));
  for (const name in extra) headers[name.toLowerCase()] = extra[name] as string;
  Object.assign(headers, ENFORCED);
  headers["content-type"] = contentType;
  const response = new Response(body, { status, headers });
  builtFromRecord.add(response);
  return response;
}

/**
 * {@link answerWith} for a JSON body, typed as `c.json` types its answer.
 *
 * @example
 * return answerJson(c, { person }, 200, { "Cache-Control": "no-store" });
 */
export function answerJson<T, U extends ContentfulStatusCode>(
  c: Context<GatewayEnv>,
  body: T,
  status: U,
  extra?: Readonly<AnswerHeaders>,
): Response & TypedResponse<JSONParsed<T>, U, "json"> {
  return answerWith(c, JSON.stringify(body), status, "application/json", extra) as Response &
    TypedResponse<JSONParsed<T>, U, "json">;
}

/**
 * Completes whatever response the request ended with: the request's fields where the response
 * has none of its own, the defaults where it has none, the enforced security headers always.
 */
export function finishAnswerHeaders(c: Context<GatewayEnv>): void {
  if (builtFromRecord.has(c.res)) return;
  const headers = c.res.headers;
  const record = c.get("answerHeaders") ?? {};
  for (const name in record) if (!headers.has(name)) headers.set(name, record[name] as string);
  for (const name in DEFAULTS) if (!headers.has(name)) headers.set(name, DEFAULTS[name] as string);
  for (const name in ENFORCED) headers.set(name, ENFORCED[name] as string);
}
