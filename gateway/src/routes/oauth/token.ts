/** POST /oauth/token — OAuth 2.0 client credentials (RFC 6749 §4.4). */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { issueAccessToken } from "../../auth/tokens.ts";
import type { Client, Scope } from "../../clients/client.ts";
import { sha256Hex, timingSafeEqual } from "../../crypto/digest.ts";
import type { GatewayEnv } from "../../env.ts";
import { ProblemError } from "../../errors/problem.ts";
import { rateLimitHeaders } from "../../middleware/rate-limit.ts";
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
    "Authenticate with `client_secret_basic` (HTTP Basic) or `client_secret_post` (form fields), never both. Tokens are ES256 JWTs (RFC 9068) valid for a few minutes.",
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
    ]),
  },
});

interface PresentedCredentials {
  readonly clientId: string;
  readonly secret: string;
}

function basicCredentials(header: string): PresentedCredentials {
  const encoded = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(header)?.[1];
  let decoded: string | undefined;
  try {
    decoded = encoded === undefined ? undefined : atob(encoded);
  } catch {
    decoded = undefined;
  }
  const colon = decoded?.indexOf(":") ?? -1;
  if (decoded === undefined || colon < 1) {
    throw new ProblemError(
      "INVALID_CLIENT",
      "Malformed HTTP Basic credentials.",
      {},
      {
        "WWW-Authenticate": 'Basic realm="simpul"',
      },
    );
  }
  try {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll("+", " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll("+", " ")),
    };
  } catch {
    throw new ProblemError("INVALID_CLIENT", "Malformed HTTP Basic credentials.");
  }
}

function presentedCredentials(
  authorization: string | undefined,
  form: z.infer<typeof TokenRequest>,
): PresentedCredentials {
  const inForm = form.client_id !== undefined || form.client_secret !== undefined;
  if (authorization !== undefined && inForm) {
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    throw new ProblemError(
      "INVALID_REQUEST",
      "Use either HTTP Basic or form credentials, not both.",
    );
  }
  if (authorization !== undefined) return basicCredentials(authorization);
  if (form.client_id === undefined || form.client_secret === undefined) {
    throw new ProblemError(
      "INVALID_CLIENT",
      "Client authentication is required.",
      {},
      {
        "WWW-Authenticate": 'Basic realm="simpul"',
      },
    );
  }
  return { clientId: form.client_id, secret: form.client_secret };
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
    if (c.req.method === "POST" && !FORM_MEDIA_TYPE.test(c.req.header("content-type") ?? "")) {
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
    const { services } = c.var;
    const form = c.req.valid("form");
    const presented = presentedCredentials(c.req.header("authorization"), form);
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
    const client = await services.clients.get(presented.clientId);
    // The hash is computed even for unknown clients so both paths take the same time.
    const presentedHash = await sha256Hex(presented.secret);
    if (client === undefined || !timingSafeEqual(presentedHash, client.secretSha256)) {
      throw new ProblemError(
        "INVALID_CLIENT",
        "Unknown client or wrong secret.",
        {},
        {
          "WWW-Authenticate": 'Basic realm="simpul"',
        },
      );
    }
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
    services.logger.log("info", "token issued", { requestId: c.var.requestId, client: client.id });
    // RFC 6749 §5.1: token responses must not be cached.
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    return c.json(token, 200);
  });
}
