/** Bearer authentication (RFC 6750), scope checks and the declared purpose of a request. */
import { createMiddleware } from "hono/factory";
import { MAX_TOKEN_BYTES } from "../auth/tokens.ts";
import { PURPOSES, type Purpose, type Scope } from "../clients/client.ts";
import type { GatewayEnv } from "../env.ts";
import { ProblemError } from "../errors/problem.ts";
import { requestHeader } from "../http/request-access.ts";

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
export const PURPOSE_HEADER = "Simpul-Purpose";
export const END_USER_HEADER = "Simpul-End-User";
export const CASE_HEADER = "Simpul-Case-Id";
const DECLARED_VALUE = /^[\p{L}\p{N} ._:/@#-]{1,128}$/u;

const challenge = (error: string) => ({
  "WWW-Authenticate": `Bearer realm="simpul", error="${error}"`,
});

/** Verifies the bearer token, loads its client and checks the scope the operation needs. */
export const requireScope = (scope: Scope) =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    const { verifyToken, clients } = c.get("services");
    // RFC 6750 §2.3 allows tokens in the query; they leak into logs, so Simpul refuses them.
    if (c.req.query("access_token") !== undefined) {
      throw new ProblemError(
        "INVALID_REQUEST",
        "Send the access token in the Authorization header, never in the URL.",
        {},
        challenge("invalid_request"),
      );
    }
    const header = requestHeader(c, "authorization");
    if (header === undefined || header === "") {
      throw new ProblemError(
        "UNAUTHENTICATED",
        "Send `Authorization: Bearer <token>`.",
        {},
        {
          "WWW-Authenticate": 'Bearer realm="simpul"',
        },
      );
    }
    if (header.length > MAX_TOKEN_BYTES + 7) {
      throw new ProblemError(
        "INVALID_TOKEN",
        "The token is too large.",
        {},
        challenge("invalid_token"),
      );
    }
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      throw new ProblemError(
        "INVALID_TOKEN",
        "Expected exactly one `Bearer` token in compact JWS form.",
        {},
        challenge("invalid_token"),
      );
    }
    const verdict = await verifyToken(match[1]);
    if (!verdict.ok && verdict.retryable === true) {
      // The issuer's keys could not be fetched: the token is unchecked, not known to be bad.
      throw new ProblemError(
        "SERVICE_UNAVAILABLE",
        "The token's issuer cannot be reached to check it; try again shortly.",
        { retryAfterSeconds: 5 },
        { "Retry-After": "5" },
      );
    }
    if (!verdict.ok) {
      throw new ProblemError(
        "INVALID_TOKEN",
        "The token is invalid or expired.",
        {},
        challenge("invalid_token"),
      );
    }
    const client = await clients.get(verdict.claims.clientId);
    if (client === undefined) {
      throw new ProblemError(
        "INVALID_TOKEN",
        "The token's client is no longer registered.",
        {},
        challenge("invalid_token"),
      );
    }
    c.set("claims", verdict.claims);
    c.set("client", client);
    // A token carries the scopes granted when it was issued; the registry may have narrowed them.
    if (!verdict.claims.scopes.includes(scope) || !client.scopes.includes(scope)) {
      throw new ProblemError(
        "INSUFFICIENT_SCOPE",
        `This operation needs the scope \`${scope}\`.`,
        { requiredScope: scope },
        {
          "WWW-Authenticate": `Bearer realm="simpul", error="insufficient_scope", scope="${scope}"`,
        },
      );
    }
    await next();
  });

/** Requires a declared purpose the client is allowed, plus optional end-user and case ids. */
export const requirePurpose = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    const client = c.get("client");
    const purpose = requestHeader(c, PURPOSE_HEADER);
    if (purpose === undefined || purpose === "") {
      throw new ProblemError(
        "PURPOSE_REQUIRED",
        `Declare why you process this data in the \`${PURPOSE_HEADER}\` header.`,
        { allowedPurposes: client.purposes },
      );
    }
    if (
      !(PURPOSES as readonly string[]).includes(purpose) ||
      !client.purposes.includes(purpose as Purpose)
    ) {
      throw new ProblemError("PURPOSE_NOT_ALLOWED", "This purpose is not one of this client's.", {
        allowedPurposes: client.purposes,
      });
    }
    const endUserId = requestHeader(c, END_USER_HEADER);
    const caseId = requestHeader(c, CASE_HEADER);
    for (const [name, value] of [
      [END_USER_HEADER, endUserId],
      [CASE_HEADER, caseId],
    ] as const) {
      if (value !== undefined && !DECLARED_VALUE.test(value)) {
        throw new ProblemError("INVALID_REQUEST", `\`${name}\` must be 1-128 plain characters.`);
      }
    }
    c.set("declared", {
      purpose: purpose as Purpose,
      ...(endUserId === undefined ? {} : { endUserId }),
      ...(caseId === undefined ? {} : { caseId }),
    });
    await next();
  });
