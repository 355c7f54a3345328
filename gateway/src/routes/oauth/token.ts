/** POST /oauth/token — OAuth 2.0 client credentials (RFC 6749 §4.4). */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import {
  assertedClientId,
  CLIENT_ASSERTION_TYPE,
  verifyClientAssertion,
} from "../../auth/client-assertion.ts";
import { issueAccessToken } from "../../auth/tokens.ts";
import type { Client, Scope } from "../../clients/client.ts";
import { sha256Hex, timingSafeEqual } from "../../crypto/digest.ts";
import type { GatewayEnv } from "../../env.ts";
import { ProblemError } from "../../errors/problem.ts";
import { requestHeader } from "../../http/request-access.ts";
import { rateLimitHeaders } from "../../middleware/rate-limit.ts";
import type { Services } from "../../services.ts";
import { StoreUnavailableError } from "../../stores/errors.ts";
import { problemResponses } from "../problems.ts";

const FORM_MEDIA_TYPE = /^application\/x-www-form-urlencoded\s*(;.*)?$/i;
/** Failed and successful token requests per client id per minute: slows secret guessing. */
const TOKEN_REQUESTS_PER_MINUTE = 30;

const TokenRequest = z
  .object({
    grant_type: z.string().openapi({ example: "client_credentials" }),
    scope: z
      .string()
      .optional()
      .openapi({ description: "Space-separated subset of the client's scopes." }),
    client_id: z.string().optional(),
    client_secret: z.string().optional(),
    client_assertion_type: z
      .string()
      .optional()
      .openapi({ description: "For `private_key_jwt`.", example: CLIENT_ASSERTION_TYPE }),
    client_assertion: z.string().optional().openapi({
      description:
        "For `private_key_jwt`: a JWT signed with a key registered for the client (RFC 7523 §2.2), `iss` and `sub` the client id, `aud` this gateway's issuer, `exp` at most 5 minutes ahead, a fresh `jti`.",
    }),
  })
  .openapi("TokenRequest");

const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
    scope: z.string(),
  })
  .openapi("TokenResponse");

export const tokenRoute = createRoute({
  method: "post",
  path: "/oauth/token",
  operationId: "oauth.token",
  tags: ["OAuth"],
  summary: "Get an access token with client credentials",
  description:
    "Authenticate with `client_secret_basic` (HTTP Basic), `client_secret_post` (form fields) or `private_key_jwt` (a signed client assertion), exactly one per request. Tokens are ES256 JWTs (RFC 9068) valid for a few minutes.",
  request: {
    body: {
      required: true,
      content: { "application/x-www-form-urlencoded": { schema: TokenRequest } },
    },
  },
  responses: {
    200: {
      description: "An access token",
      content: { "application/json": { schema: TokenResponse } },
    },
    ...problemResponses([
      "INVALID_REQUEST",
      "INVALID_CLIENT",
      "UNSUPPORTED_GRANT_TYPE",
      "INVALID_SCOPE",
      "UNSUPPORTED_MEDIA_TYPE",
      "PAYLOAD_TOO_LARGE",
      "RATE_LIMITED",
      "SERVICE_UNAVAILABLE",
    ]),
  },
});

type PresentedCredentials =
  | { readonly method: "secret"; readonly clientId: string; readonly secret: string }
  | { readonly method: "assertion"; readonly clientId: string; readonly assertion: string };

const invalidClient = (detail: string) =>
  new ProblemError("INVALID_CLIENT", detail, {}, { "WWW-Authenticate": 'Basic realm="simpul"' });

function basicCredentials(header: string): PresentedCredentials {
  const encoded = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(header)?.[1];
  let decoded: string | undefined;
  try {
    decoded = encoded === undefined ? undefined : atob(encoded);
  } catch {
    decoded = undefined;
  }
  const colon = decoded?.indexOf(":") ?? -1;
  if (decoded === undefined || colon < 1) throw invalidClient("Malformed HTTP Basic credentials.");
  try {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    return {
      method: "secret",
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll("+", " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll("+", " ")),
    };
  } catch {
    throw invalidClient("Malformed HTTP Basic credentials.");
  }
}

function assertionCredentials(form: z.infer<typeof TokenRequest>): PresentedCredentials {
  if (form.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
    throw new ProblemError(
      "INVALID_REQUEST",
      `\`client_assertion_type\` must be \`${CLIENT_ASSERTION_TYPE}\`.`,
    );
  }
  if (form.client_assertion === undefined || form.client_assertion === "") {
    throw new ProblemError("INVALID_REQUEST", "`client_assertion` is missing.");
  }
  const clientId = assertedClientId(form.client_assertion);
  // RFC 7521 §4.2: a client_id sent alongside must name the same client as the assertion.
  if (clientId === undefined || (form.client_id !== undefined && form.client_id !== clientId)) {
    throw invalidClient("The client assertion is malformed or names another client.");
  }
  return { method: "assertion", clientId, assertion: form.client_assertion };
}

function presentedCredentials(
  authorization: string | undefined,
  form: z.infer<typeof TokenRequest>,
): PresentedCredentials {
  const basic = authorization !== undefined;
  const asserted = form.client_assertion !== undefined || form.client_assertion_type !== undefined;
  const secretInForm = form.client_secret !== undefined;
  // A lone client_id goes with client_secret_post or an assertion, never with HTTP Basic.
  const methods = [basic, asserted, secretInForm].filter(Boolean).length;
  if (methods > 1 || (basic && form.client_id !== undefined)) {
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    throw new ProblemError(
      "INVALID_REQUEST",
      "Use exactly one of HTTP Basic, form credentials or a client assertion.",
    );
  }
  if (authorization !== undefined) return basicCredentials(authorization);
  if (asserted) return assertionCredentials(form);
  if (form.client_id === undefined || form.client_secret === undefined) {
    throw invalidClient("Client authentication is required.");
  }
  return { method: "secret", clientId: form.client_id, secret: form.client_secret };
}

/** An unknown client and a wrong secret or assertion look the same from outside. */
async function authenticate(services: Services, presented: PresentedCredentials): Promise<Client> {
  const client = await services.clients.get(presented.clientId);
  if (presented.method === "secret") {
    // The hash is computed even for unknown clients so both paths take the same time.
    const presentedHash = await sha256Hex(presented.secret);
    const expected = client?.secretSha256;
    if (
      client === undefined ||
      expected === undefined ||
      !timingSafeEqual(presentedHash, expected)
    ) {
      throw invalidClient("Unknown client or wrong secret.");
    }
    return client;
  }
  if (client === undefined) throw invalidClient("Unknown client or invalid client assertion.");
  const issuer = services.settings.issuer;
  let verdict: Awaited<ReturnType<typeof verifyClientAssertion>>;
  try {
    verdict = await verifyClientAssertion(presented.assertion, client, {
      audiences: [issuer, `${issuer}/oauth/token`],
      replay: services.replay,
    });
  } catch (error) {
    // Without the replay store a used assertion could pass again: fail closed.
    if (error instanceof StoreUnavailableError) {
      throw new ProblemError(
        "SERVICE_UNAVAILABLE",
        "Client assertions cannot be checked now.",
        {
          retryAfterSeconds: 5,
        },
        { "Retry-After": "5" },
      );
    }
    throw error;
  }
  if (!verdict.ok) throw invalidClient("Unknown client or invalid client assertion.");
  return client;
}

function grantedScopes(client: Client, requested: string | undefined): Scope[] {
  if (requested === undefined || requested.trim() === "") return [...client.scopes];
  const asked = requested.split(" ").filter(Boolean);
  const refused = asked.filter((scope) => !client.scopes.includes(scope as Scope));
  if (refused.length > 0) {
    throw new ProblemError("INVALID_SCOPE", `Not granted to this client: ${refused.join(" ")}.`);
  }
  return [...new Set(asked)] as Scope[];
}

export function registerToken(app: OpenAPIHono<GatewayEnv>): void {
  app.use(tokenRoute.getRoutingPath(), async (c, next) => {
    if (c.req.method === "POST" && !FORM_MEDIA_TYPE.test(requestHeader(c, "content-type") ?? "")) {
      throw new ProblemError("UNSUPPORTED_MEDIA_TYPE", "Send application/x-www-form-urlencoded.");
    }
    await next();
  });
  app.use(
    tokenRoute.getRoutingPath(),
    bodyLimit({
      maxSize: 4096,
      onError: () => {
        throw new ProblemError("PAYLOAD_TOO_LARGE", "The body must be at most 4096 bytes.");
      },
    }),
  );
  app.openapi(tokenRoute, async (c) => {
    const services = c.get("services");
    const form = c.req.valid("form");
    const presented = presentedCredentials(requestHeader(c, "authorization"), form);
    const windows = [{ limit: TOKEN_REQUESTS_PER_MINUTE, windowSeconds: 60 }];
    const decision = await services.rateLimits.consume(`token:${presented.clientId}`, 1, windows);
    if (!decision.allowed) {
      throw new ProblemError(
        "RATE_LIMITED",
        "Too many token requests for this client.",
        {
          retryAfterSeconds: decision.resetSeconds,
        },
        { ...rateLimitHeaders(decision, windows), "Retry-After": String(decision.resetSeconds) },
      );
    }
    const client = await authenticate(services, presented);
    if (form.grant_type !== "client_credentials") {
      throw new ProblemError("UNSUPPORTED_GRANT_TYPE", "Only `client_credentials` is supported.");
    }
    const scopes = grantedScopes(client, form.scope);
    const token = await issueAccessToken(
      services.signingKey,
      {
        issuer: services.settings.issuer,
        audience: services.settings.audience,
        ttlSeconds: services.settings.tokenTtlSeconds,
      },
      client.id,
      scopes,
    );
    services.metrics?.tokensIssued.inc({ client: client.id });
    services.logger.log("info", "token issued", {
      requestId: c.get("requestId"),
      client: client.id,
    });
    // RFC 6749 §5.1: token responses must not be cached.
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    return c.json(token, 200);
  });
}
