/** JWKS and RFC 8414 authorization-server metadata. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { CLIENT_ASSERTION_ALGORITHMS } from "../../auth/client-assertion.ts";
import { SCOPES } from "../../clients/client.ts";
import type { GatewayEnv } from "../../env.ts";
import { registerOperation } from "../operation.ts";

const Jwks = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())) })
  .openapi("JsonWebKeySet");

export const jwksRoute = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  operationId: "oauth.jwks",
  tags: ["OAuth"],
  summary: "Public keys that verify Simpul's access tokens",
  responses: {
    200: { description: "JWK Set (RFC 7517)", content: { "application/json": { schema: Jwks } } },
  },
});

const Metadata = z
  .object({
    issuer: z.string(),
    token_endpoint: z.string(),
    jwks_uri: z.string(),
    grant_types_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    token_endpoint_auth_signing_alg_values_supported: z.array(z.string()),
    scopes_supported: z.array(z.string()),
    service_documentation: z.string(),
  })
  .openapi("AuthorizationServerMetadata");

export const metadataRoute = createRoute({
  method: "get",
  path: "/.well-known/oauth-authorization-server",
  operationId: "oauth.metadata",
  tags: ["OAuth"],
  summary: "Authorization server metadata (RFC 8414)",
  responses: {
    200: { description: "Metadata", content: { "application/json": { schema: Metadata } } },
  },
});

export function registerDiscovery(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, jwksRoute, (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(
      { keys: [c.get("services").signingKey.publicJwk as Record<string, unknown>] },
      200,
    );
  });
  registerOperation(app, metadataRoute, (c) => {
    const issuer = c.get("services").settings.issuer;
    return c.json(
      {
        issuer,
        token_endpoint: `${issuer}/oauth/token`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        grant_types_supported: ["client_credentials"],
        // Only machine clients exist here, so no authorization-endpoint response types.
        response_types_supported: [],
        token_endpoint_auth_methods_supported: [
          "client_secret_basic",
          "client_secret_post",
          "private_key_jwt",
        ],
        // RFC 8414 §2: the algorithms accepted for `private_key_jwt` assertions.
        token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
        scopes_supported: [...SCOPES],
        service_documentation: `${issuer}/docs`,
      },
      200,
    );
  });
}
