/** Access tokens by OAuth 2.0 client credentials: cached, refreshed early, one request at a time. */
import { CLIENT_ASSERTION_TYPE, clientAssertion } from "./assertion.ts";
import { raceSignal, requestJson, type TokenSource, type TransportConfig } from "./transport.ts";
import type { ResponseBody } from "./types.ts";

/** Refresh this long before expiry, or at half the lifetime for very short-lived tokens. */
const REFRESH_BEFORE_EXPIRY_MS = 30_000;
/** A token this close to expiry is not used even if a refresh fails. */
const MIN_REMAINING_MS = 5_000;

/** How the client proves who it is at the token endpoint. */
export type ClientAuthentication =
  | { readonly method: "client_secret_basic"; readonly clientId: string; readonly secret: string }
  | {
      readonly method: "private_key_jwt";
      readonly clientId: string;
      readonly privateKey: CryptoKey;
      readonly keyId?: string | undefined;
      readonly audience: string;
    };

interface CachedToken {
  readonly token: string;
  readonly refreshAt: number;
  readonly expiresAt: number;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before HTTP Basic encoding. */
function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replaceAll("%20", "+");
  return `Basic ${btoa(`${encode(clientId)}:${encode(clientSecret)}`)}`;
}

/**
 * A token source for the client credentials grant. Concurrent calls share one token request
 * (single flight); the token is refreshed 30 s before it expires.
 *
 * @example
 * const tokens = clientCredentialsTokens(config, {
 *   method: "client_secret_basic",
 *   clientId: "dinsos-bandung",
 *   secret: process.env.SIMPUL_CLIENT_SECRET ?? "",
 * });
 * const token = await tokens.get();
 */
export function clientCredentialsTokens(
  config: TransportConfig,
  authentication: ClientAuthentication,
  now: () => number = () => Date.now(),
): TokenSource {
  let cached: CachedToken | undefined;
  let inflight: Promise<CachedToken> | undefined;
  const grant = { grant_type: "client_credentials" };

  const fetchToken = async (): Promise<CachedToken> => {
    const sentAt = now();
    const answer = await requestJson<ResponseBody<"oauth.token">>(config, {
      method: "POST",
      path: "/oauth/token",
      idempotent: true,
      ...(authentication.method === "client_secret_basic"
        ? {
            headers: {
              Authorization: basicCredentials(authentication.clientId, authentication.secret),
              "Content-Type": "application/x-www-form-urlencoded",
            },
            body: new URLSearchParams(grant).toString(),
          }
        : {
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            // Signed per attempt: the gateway accepts each assertion's `jti` once.
            body: async () =>
              new URLSearchParams({
                ...grant,
                client_assertion_type: CLIENT_ASSERTION_TYPE,
                client_assertion: await clientAssertion(authentication.privateKey, authentication),
              }).toString(),
          }),
    });
    const lifetimeMs = answer.expires_in * 1000;
    const refreshBeforeMs = Math.min(REFRESH_BEFORE_EXPIRY_MS, lifetimeMs / 2);
    // Measured from when the request left, so a slow answer cannot stretch the token's life.
    return {
      token: answer.access_token,
      refreshAt: sentAt + lifetimeMs - refreshBeforeMs,
      expiresAt: sentAt + lifetimeMs,
    };
  };

  const refresh = (): Promise<CachedToken> => {
    inflight ??= fetchToken()
      .then((fresh) => {
        cached = fresh;
        return fresh;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return {
    async get(signal) {
      const current = cached;
      if (current !== undefined && now() < current.refreshAt) return current.token;
      // One caller's abort must not cancel the token request the others are waiting on.
      const pending = refresh();
      try {
        return (await (signal ? raceSignal(pending, signal) : pending)).token;
      } catch (error) {
        if (signal?.aborted) throw error;
        // The old token is still good for a while: a failed early refresh need not fail the call.
        if (current !== undefined && now() < current.expiresAt - MIN_REMAINING_MS) {
          return current.token;
        }
        throw error;
      }
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
