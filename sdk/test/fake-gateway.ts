/** A scripted stand-in for the gateway, reached through an injected `fetch`: no mocks of SDK internals. */
import type { FetchLike } from "../src/transport.ts";
import type { ErrorCode } from "../src/types.ts";

export type Handler = (request: Request) => Response | Promise<Response>;

export interface FakeGatewayOptions {
  /** Token lifetime in seconds; 300 like the gateway's default. */
  readonly expiresIn?: number;
  /** Delay before the token endpoint answers, to let concurrent calls pile up. */
  readonly tokenDelayMs?: number;
  /** Answers for everything but `/oauth/token`, by path; a list is served in order. */
  readonly routes?: Record<string, Handler | Handler[]>;
}

export interface FakeGateway {
  readonly fetch: FetchLike;
  /** Every request received, in order, token requests included. */
  readonly requests: Request[];
  /** Bodies of the requests, read before routing. */
  readonly bodies: string[];
  readonly tokensIssued: () => number;
  /** Requests to one path. */
  readonly to: (path: string) => Request[];
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

/** A problem document as the gateway writes it. */
export const problem = (
  code: ErrorCode,
  status: number,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
) =>
  new Response(
    JSON.stringify({
      type: `/problems/${code.toLowerCase().replaceAll("_", "-")}`,
      title: code,
      status,
      code,
      detail: `detail of ${code}`,
      requestId: "req-from-gateway",
      ...extra,
    }),
    { status, headers: { "content-type": "application/problem+json", ...headers } },
  );

/**
 * A fake gateway: `/oauth/token` issues `token-1`, `token-2`, …; other paths answer from `routes`
 * (404 NOT_FOUND when none is scripted).
 */
export function fakeGateway(options: FakeGatewayOptions = {}): FakeGateway {
  const requests: Request[] = [];
  const bodies: string[] = [];
  const served = new Map<string, number>();
  let issued = 0;
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    bodies.push(await request.clone().text());
    const path = new URL(request.url).pathname;
    if (path === "/oauth/token") {
      if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
      issued++;
      return json({
        access_token: `token-${issued}`,
        token_type: "Bearer",
        expires_in: options.expiresIn ?? 300,
        scope: "identity:lookup",
      });
    }
    const route = options.routes?.[path];
    if (route === undefined) return problem("NOT_FOUND", 404);
    const count = served.get(path) ?? 0;
    served.set(path, count + 1);
    const handler = Array.isArray(route) ? route[Math.min(count, route.length - 1)] : route;
    if (handler === undefined) throw new Error(`no handler for ${path}`);
    return handler(request);
  };
  return {
    fetch,
    requests,
    bodies,
    tokensIssued: () => issued,
    to: (path) => requests.filter((request) => new URL(request.url).pathname === path),
  };
}

/** An NDJSON response made of these lines, optionally as a pull stream that counts pulls. */
export function ndjsonResponse(lines: readonly unknown[], raw = false): Response {
  const text = lines.map((line) => (raw ? String(line) : `${JSON.stringify(line)}\n`)).join("");
  return new Response(text, { headers: { "content-type": "application/x-ndjson" } });
}

/** The lines the gateway would send for these NIKs: results, or errors for the malformed ones. */
export function batchLines(niks: readonly string[]): unknown[] {
  const lines: unknown[] = niks.map((nik, index) =>
    /^\d{16}$/.test(nik)
      ? { index, nik, result: { civilRegistry: "FOUND", complete: true, findings: [] } }
      : { index, error: { code: "NIK_WRONG_LENGTH", detail: "NIK must have exactly 16 digits." } },
  );
  lines.push({ done: true, count: niks.length, errors: 0, partial: 0 });
  return lines;
}

/** A batch route answering each request for the NIKs in its body. */
export const batchRoute: Handler = async (request) => {
  const { niks } = (await request.json()) as { niks: string[] };
  return ndjsonResponse(batchLines(niks));
};

/** NIKs that pass the format check, numbered from `start`. */
export const sampleNiks = (count: number, start = 1): string[] =>
  Array.from({ length: count }, (_, i) => `32730145019${String(start + i).padStart(5, "0")}`);
