/** `createSimpulClient`: the named, typed operations of the Simpul API over `fetch`. */

import { signingAlgorithm } from "./assertion.ts";
import { checkBatch } from "./batch.ts";
import { SimpulError, SimpulStreamError } from "./errors.ts";
import { readLines } from "./ndjson.ts";
import { type RetryOptions, retryPolicy } from "./retry.ts";
import { clientCredentialsTokens } from "./token.ts";
import {
  type FetchLike,
  requestJson,
  type SendOptions,
  send,
  type TransportConfig,
} from "./transport.ts";
import type {
  AuditEntry,
  AuditSubjectRequest,
  EnrolmentBatchLine,
  IdentityVerifyRequest,
  OperationId,
  PathParams,
  ProgramCode,
  Purpose,
  QueryParams,
  RequestBody,
  ResponseBody,
} from "./types.ts";
import { SDK_VERSION } from "./version.ts";

/** The client secret issued with the client id (`client_secret_basic`). */
export interface ClientSecretCredentials {
  readonly clientSecret: string;
  readonly privateKey?: never;
}

/**
 * A private key for `private_key_jwt` (RFC 7523): the client signs a short-lived assertion for
 * every token request, and no secret is shared. The key is a WebCrypto `CryptoKey` (ECDSA P-256,
 * Ed25519 or RSASSA-PKCS1-v1_5 SHA-256) whose public half is registered for the client.
 */
export interface PrivateKeyCredentials {
  readonly privateKey: CryptoKey;
  /** The `kid` of the registered public key, when the client has several. */
  readonly keyId?: string;
  /** The assertion's `aud`; the gateway's token endpoint (`<baseUrl>/oauth/token`) by default. */
  readonly audience?: string;
  readonly clientSecret?: never;
}

interface BaseClientOptions {
  /** The gateway's origin, e.g. `https://simpul.example.go.id` (a path prefix is kept). */
  readonly baseUrl: string;
  readonly clientId: string;
  /** The purpose sent with every personal-data call unless a call names its own. */
  readonly purpose?: Purpose;
  /** The `fetch` to use; the runtime's global one by default. */
  readonly fetch?: FetchLike;
  /** Per attempt, until the response headers arrive; for streams, the longest quiet spell. Default 30,000. */
  readonly timeoutMs?: number;
  /** Retries of calls that are safe to repeat: a number, or a policy. Default 2 retries. */
  readonly retries?: number | RetryOptions;
  /** Added to the SDK's own `User-Agent`, e.g. `"sibansos-bandung/2.3"`. */
  readonly userAgent?: string;
}

/** Options of `createSimpulClient`. */
export type SimpulClientOptions = BaseClientOptions &
  (ClientSecretCredentials | PrivateKeyCredentials);

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call; it then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  readonly timeoutMs?: number;
  /** Sent as `X-Request-Id` (8–128 of `A-Za-z0-9._:-`); a fresh one otherwise. */
  readonly requestId?: string;
}

/** Options of calls that process personal data; recorded in the gateway's audit trail. */
export interface PersonalDataOptions extends CallOptions {
  /** Why this personal data is processed; the client's default purpose when omitted. */
  readonly purpose?: Purpose;
  /** Who, inside your organisation, asked (sent as `Simpul-End-User`). */
  readonly endUserId?: string;
  /** The case or letter this request belongs to (sent as `Simpul-Case-Id`). */
  readonly caseId?: string;
}

/** Options of `enrolments.checkBatch`. */
export interface CheckBatchOptions extends PersonalDataOptions {
  /** Programs to check; all of them when omitted. */
  readonly programs?: readonly ProgramCode[];
  /** NIKs per request, 1 to 100,000. Default 10,000; keep it within your rate plan. */
  readonly chunkSize?: number;
}

/** A purpose is required per call when the client has no default purpose. */
type WithPurpose<Options, HasDefaultPurpose extends boolean> = HasDefaultPurpose extends true
  ? [options?: Options]
  : [options: Options & { readonly purpose: Purpose }];

/** The Simpul API, one method per operation id. */
export interface SimpulClient<HasDefaultPurpose extends boolean = boolean> {
  readonly identity: {
    /**
     * `identity.lookup`: the person behind a NIK, limited to the fields your client is granted.
     *
     * @example
     * const { person } = await simpul.identity.lookup({ nik }, { caseId: "ADUAN/2025/0142" });
     */
    lookup(
      body: RequestBody<"identity.lookup">,
      ...options: WithPurpose<PersonalDataOptions, HasDefaultPurpose>
    ): Promise<ResponseBody<"identity.lookup">>;
    /**
     * `identity.verify`: a match verdict and score per supplied element, nothing else.
     *
     * @example
     * const { verdicts } = await simpul.identity.verify({ nik, fullName: "SITI AMINAH" });
     * if (verdicts.fullName?.match) console.log("name matches", verdicts.fullName.score);
     */
    verify(
      body: IdentityVerifyRequest,
      ...options: WithPurpose<PersonalDataOptions, HasDefaultPurpose>
    ): Promise<ResponseBody<"identity.verify">>;
  };
  readonly enrolments: {
    /**
     * `enrolments.check`: which programs a person receives, and what conflicts.
     *
     * @example
     * const { programs, findings } = await simpul.enrolments.check({ nik, programs: ["PKH", "BSU"] });
     */
    check(
      body: RequestBody<"enrolments.check">,
      ...options: WithPurpose<PersonalDataOptions, HasDefaultPurpose>
    ): Promise<ResponseBody<"enrolments.check">>;
    /**
     * `enrolments.checkBatch`: one line per input NIK, in input order, for inputs of any size.
     * Throws `SimpulStreamError` if a stream is cut short (lines before `nextIndex` were yielded).
     *
     * @example
     * for await (const line of simpul.enrolments.checkBatch(niks, { chunkSize: 500 })) {
     *   if ("error" in line) console.log(line.index, line.nik, line.error.code);
     *   else console.log(line.index, line.result.findings.length);
     * }
     */
    checkBatch(
      niks: Iterable<string> | AsyncIterable<string>,
      ...options: WithPurpose<CheckBatchOptions, HasDefaultPurpose>
    ): AsyncIterable<EnrolmentBatchLine>;
  };
  readonly programs: {
    /**
     * `programs.list`: the program catalogue and the cross-program rules in force.
     *
     * @example
     * const { version, programs, rules } = await simpul.programs.list();
     */
    list(options?: CallOptions): Promise<ResponseBody<"programs.list">>;
  };
  readonly sources: {
    /**
     * `sources.list`: the health of each ministry source as the gateway sees it.
     *
     * @example
     * const down = (await simpul.sources.list()).sources.filter((s) => s.status === "DOWN");
     */
    list(options?: CallOptions): Promise<ResponseBody<"sources.list">>;
  };
  readonly schemas: {
    /**
     * `schemas.list`: the registered subjects, their modes and latest versions.
     *
     * @example
     * const { subjects } = await simpul.schemas.list();
     */
    list(options?: CallOptions): Promise<ResponseBody<"schemas.list">>;
    /**
     * `schemas.versions`: every version of a subject.
     *
     * @example
     * const { versions } = await simpul.schemas.versions({ subject: "person" });
     */
    versions(
      params: PathParams<"schemas.versions">,
      options?: CallOptions,
    ): Promise<ResponseBody<"schemas.versions">>;
    /**
     * `schemas.get`: one version, with its JSON Schema document.
     *
     * @example
     * const { document } = await simpul.schemas.get({ subject: "person", version: "1.0.0" });
     */
    get(
      params: PathParams<"schemas.get">,
      options?: CallOptions,
    ): Promise<ResponseBody<"schemas.get">>;
    /**
     * `schemas.check`: would this document be compatible? `compatible: false` is an answer,
     * not an error.
     *
     * @example
     * const report = await simpul.schemas.check({ subject: "person" }, { document });
     * for (const difference of report.differences) console.log(difference.description);
     */
    check(
      params: PathParams<"schemas.check">,
      body: RequestBody<"schemas.check">,
      options?: CallOptions,
    ): Promise<ResponseBody<"schemas.check">>;
    /**
     * `schemas.publish`: publishes a new version if it is compatible under the subject's mode;
     * otherwise throws `SimpulProblemError` `SCHEMA_INCOMPATIBLE` listing the differences.
     *
     * @example
     * const published = await simpul.schemas.publish({ subject: "person" }, { document });
     */
    publish(
      params: PathParams<"schemas.publish">,
      body: RequestBody<"schemas.publish">,
      options?: CallOptions,
    ): Promise<ResponseBody<"schemas.publish">>;
    /**
     * `schemas.setMode`: sets the subject's compatibility mode.
     *
     * @example
     * await simpul.schemas.setMode({ subject: "person" }, { mode: "FULL_TRANSITIVE" });
     */
    setMode(
      params: PathParams<"schemas.setMode">,
      body: RequestBody<"schemas.setMode">,
      options?: CallOptions,
    ): Promise<ResponseBody<"schemas.setMode">>;
    /**
     * `schemas.deprecate`: marks a version deprecated, optionally naming its successor.
     *
     * @example
     * await simpul.schemas.deprecate({ subject: "person", version: "1.0.0" }, { successor: "1.1.0" });
     */
    deprecate(
      params: PathParams<"schemas.deprecate">,
      body: RequestBody<"schemas.deprecate">,
      options?: CallOptions,
    ): Promise<ResponseBody<"schemas.deprecate">>;
  };
  readonly audit: {
    /**
     * `audit.search`: a page of audit entries, oldest first; pass `cursor` for the next page.
     *
     * @example
     * const page = await simpul.audit.search({ clientId: "dinsos-bandung", limit: 100 });
     */
    search(
      query: QueryParams<"audit.search">,
      ...options: WithPurpose<PersonalDataOptions, HasDefaultPurpose>
    ): Promise<ResponseBody<"audit.search">>;
    /**
     * `audit.subject`: who read this person's data ("who read my data").
     *
     * @example
     * const { entries } = await simpul.audit.subject({ nik });
     */
    subject(
      body: AuditSubjectRequest,
      ...options: WithPurpose<PersonalDataOptions, HasDefaultPurpose>
    ): Promise<ResponseBody<"audit.subject">>;
    /**
     * `audit.verify`: checks the hash chain of the trail (or a range of it).
     *
     * @example
     * const verification = await simpul.audit.verify({});
     */
    verify(
      query: QueryParams<"audit.verify">,
      ...options: WithPurpose<PersonalDataOptions, HasDefaultPurpose>
    ): Promise<ResponseBody<"audit.verify">>;
    /**
     * `audit.export`: the trail as a stream of entries, read incrementally. The stream has no
     * end marker, so check a complete export with `audit.verify`.
     *
     * @example
     * for await (const entry of simpul.audit.export({ from: "2025-01-01T00:00:00Z" })) save(entry);
     */
    export(
      query: QueryParams<"audit.export">,
      ...options: WithPurpose<PersonalDataOptions, HasDefaultPurpose>
    ): AsyncIterable<AuditEntry>;
  };
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Fills `{name}` segments of a path template, each percent-encoded. */
function fillPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? ""),
  );
}

function withQuery(path: string, query: Readonly<Record<string, unknown>> | undefined): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.set(name, String(value));
  }
  const text = search.toString();
  return text === "" ? path : `${path}?${text}`;
}

/**
 * Creates a Simpul client. Tokens are fetched, cached and refreshed for you; calls that are
 * safe to repeat are retried on network errors, 429 and 503; every failure is a typed
 * `SimpulError`.
 *
 * @example
 * import { createSimpulClient } from "@simpul/sdk";
 *
 * const simpul = createSimpulClient({
 *   baseUrl: "http://127.0.0.1:8787",
 *   clientId: "dinsos-bandung",
 *   clientSecret: process.env.SIMPUL_CLIENT_SECRET ?? "",
 *   purpose: "disbursement-validation",
 * });
 * const check = await simpul.enrolments.check({ nik: "3273042410790001" });
 * console.log(check.findings);
 */
export function createSimpulClient(
  options: SimpulClientOptions & { readonly purpose: Purpose },
): SimpulClient<true>;
export function createSimpulClient(options: SimpulClientOptions): SimpulClient<false>;
export function createSimpulClient(options: SimpulClientOptions): SimpulClient {
  let origin: URL;
  try {
    origin = new URL(options.baseUrl);
  } catch {
    throw new SimpulError(`baseUrl must be an absolute URL; got "${options.baseUrl}".`);
  }
  // Fails now, not at the first call, on a key that cannot sign an assertion the gateway accepts.
  if (options.privateKey !== undefined) signingAlgorithm(options.privateKey);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SimpulError(`timeoutMs must be a positive number; got ${timeoutMs}.`);
  }
  const config: TransportConfig = {
    baseUrl: origin.href.replace(/\/+$/, ""),
    // Looked up per call so that a fetch installed later (or a test's stub) is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs,
    retry: retryPolicy(options.retries),
    userAgent: `simpul-sdk-js/${SDK_VERSION}${options.userAgent ? ` ${options.userAgent}` : ""}`,
  };
  const tokens = clientCredentialsTokens(
    config,
    options.privateKey === undefined
      ? { method: "client_secret_basic", clientId: options.clientId, secret: options.clientSecret }
      : {
          method: "private_key_jwt",
          clientId: options.clientId,
          privateKey: options.privateKey,
          keyId: options.keyId,
          audience: options.audience ?? `${config.baseUrl}/oauth/token`,
        },
  );

  interface Call {
    readonly method: "GET" | "POST" | "PUT";
    readonly path: string;
    readonly body?: unknown;
    readonly options?: PersonalDataOptions | undefined;
    /** Sends the purpose and audit headers. */
    readonly personal?: boolean;
    readonly idempotent?: boolean;
    readonly accept?: string;
  }
  const request = (call: Call): SendOptions => ({
    method: call.method,
    path: call.path,
    // Reads are safe to repeat, including the POSTs that only exist to keep NIKs out of URLs.
    idempotent: call.idempotent ?? true,
    auth: tokens,
    accept: call.accept ?? "application/json",
    signal: call.options?.signal,
    timeoutMs: call.options?.timeoutMs,
    requestId: call.options?.requestId,
    headers: {
      ...(call.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(call.personal
        ? {
            "Simpul-Purpose": call.options?.purpose ?? options.purpose,
            "Simpul-End-User": call.options?.endUserId,
            "Simpul-Case-Id": call.options?.caseId,
          }
        : {}),
    },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  });
  const json = <Id extends OperationId>(call: Call) =>
    requestJson<ResponseBody<Id>>(config, request(call));

  async function* auditExport(
    query: QueryParams<"audit.export">,
    call?: PersonalDataOptions,
  ): AsyncGenerator<AuditEntry> {
    const exchange = await send(
      config,
      request({
        method: "GET",
        path: withQuery("/v1/audit/export", query),
        options: call,
        personal: true,
        accept: "application/x-ndjson",
      }),
    );
    exchange.release();
    if (exchange.response.body === null) return;
    const lines = readLines(exchange.response.body, {
      ...(call?.signal === undefined ? {} : { signal: call.signal }),
      idleTimeoutMs: call?.timeoutMs ?? timeoutMs,
    });
    let delivered = 0;
    for await (const line of lines) {
      let entry: AuditEntry;
      try {
        entry = JSON.parse(line) as AuditEntry;
      } catch (error) {
        throw new SimpulStreamError(
          "MALFORMED_LINE",
          delivered,
          "The audit export has a line that is not JSON.",
          exchange.requestId,
          { cause: error },
        );
      }
      delivered++;
      yield entry;
    }
  }

  return {
    identity: {
      lookup: (body, call?: PersonalDataOptions) =>
        json<"identity.lookup">({
          method: "POST",
          path: "/v1/identity/lookup",
          body,
          options: call,
          personal: true,
        }),
      verify: (body, call?: PersonalDataOptions) =>
        json<"identity.verify">({
          method: "POST",
          path: "/v1/identity/verify",
          body,
          options: call,
          personal: true,
        }),
    },
    enrolments: {
      check: (body, call?: PersonalDataOptions) =>
        json<"enrolments.check">({
          method: "POST",
          path: "/v1/enrolments/check",
          body,
          options: call,
          personal: true,
        }),
      checkBatch: (niks, call?: CheckBatchOptions) => {
        const { body: _none, ...batchRequest } = request({
          method: "POST",
          path: "/v1/enrolments/check-batch",
          body: {},
          options: call,
          personal: true,
          accept: "application/x-ndjson",
        });
        return checkBatch(config, niks, {
          programs: call?.programs,
          chunkSize: call?.chunkSize,
          request: batchRequest,
        });
      },
    },
    programs: {
      list: (call) => json<"programs.list">({ method: "GET", path: "/v1/programs", options: call }),
    },
    sources: {
      list: (call) => json<"sources.list">({ method: "GET", path: "/v1/sources", options: call }),
    },
    schemas: {
      list: (call) => json<"schemas.list">({ method: "GET", path: "/v1/schemas", options: call }),
      versions: (params, call) =>
        json<"schemas.versions">({
          method: "GET",
          path: fillPath("/v1/schemas/{subject}/versions", params),
          options: call,
        }),
      get: (params, call) =>
        json<"schemas.get">({
          method: "GET",
          path: fillPath("/v1/schemas/{subject}/versions/{version}", params),
          options: call,
        }),
      check: (params, body, call) =>
        json<"schemas.check">({
          method: "POST",
          path: fillPath("/v1/schemas/{subject}/check", params),
          body,
          options: call,
        }),
      publish: (params, body, call) =>
        json<"schemas.publish">({
          method: "POST",
          path: fillPath("/v1/schemas/{subject}/versions", params),
          body,
          options: call,
          idempotent: false,
        }),
      // PUT is idempotent (RFC 9110 §9.2.2): setting the same mode twice changes nothing more.
      setMode: (params, body, call) =>
        json<"schemas.setMode">({
          method: "PUT",
          path: fillPath("/v1/schemas/{subject}/mode", params),
          body,
          options: call,
        }),
      deprecate: (params, body, call) =>
        json<"schemas.deprecate">({
          method: "POST",
          path: fillPath("/v1/schemas/{subject}/versions/{version}/deprecate", params),
          body,
          options: call,
          idempotent: false,
        }),
    },
    audit: {
      search: (query, call?: PersonalDataOptions) =>
        json<"audit.search">({
          method: "GET",
          path: withQuery("/v1/audit/records", query),
          options: call,
          personal: true,
        }),
      subject: (body, call?: PersonalDataOptions) =>
        json<"audit.subject">({
          method: "POST",
          path: "/v1/audit/subject",
          body,
          options: call,
          personal: true,
        }),
      verify: (query, call?: PersonalDataOptions) =>
        json<"audit.verify">({
          method: "GET",
          path: withQuery("/v1/audit/verify", query),
          options: call,
          personal: true,
        }),
      export: (query, call?: PersonalDataOptions) => auditExport(query, call),
    },
  };
}
