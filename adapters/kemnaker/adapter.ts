/** The Kemnaker adapter: Kartu Prakerja and BSU, behind the source's own OAuth token. */

import { withCanonicalEnrolments } from "../core/canonical.ts";
import type { EnrolmentAdapter, SourceEnrolments } from "../core/enrolment-source.ts";
import { badReply, isRecord, parseReply } from "../core/json-reply.ts";
import { fail, ok, type Result } from "../core/result.ts";
import type { CallContext } from "../core/source.ts";
import type { SourceClient } from "../core/source-client.ts";
import { isKemnakerRecipient, KEMNAKER_PROGRAMS, mapKemnakerRecipient } from "./mapping.ts";
import type { KemnakerCredentials, KemnakerRecipient } from "./native.ts";

export interface KemnakerAdapterOptions {
  readonly client: SourceClient;
  readonly baseUrl: string;
  readonly credentials: KemnakerCredentials;
  readonly now?: () => Date;
  /**
   * Whether concurrent calls share one in-flight token request (default true). Workers pass
   * false: there a request must not wait on another request's I/O.
   */
  readonly shareTokenRequests?: boolean;
}

const BULK_LIMIT = 500;
/** Refresh this long before the source's token expires, so no call carries a stale one. */
const TOKEN_MARGIN_MS = 30_000;

/**
 * Creates the Kemnaker adapter.
 *
 * @example
 * const kemnaker = createKemnakerAdapter({ client, baseUrl, credentials: { clientId, clientSecret } });
 * const result = await kemnaker.enrolments("3273014501900001", {});
 */
export function createKemnakerAdapter(options: KemnakerAdapterOptions): EnrolmentAdapter {
  const { client, baseUrl, credentials } = options;
  const now = options.now ?? (() => new Date());
  let token: { value: string; expiresAt: number } | undefined;
  let pendingToken: Promise<Result<string>> | undefined;

  async function fetchToken(ctx: CallContext): Promise<Result<string>> {
    const reply = await client.call(
      {
        method: "POST",
        url: `${baseUrl}/oauth/token`,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${btoa(`${credentials.clientId}:${credentials.clientSecret}`)}`,
        },
        body: "grant_type=client_credentials",
      },
      { idempotent: true, ctx },
    );
    if (!reply.ok) return reply;
    const parsed = parseReply("kemnaker", reply.value.body);
    if (!parsed.ok) return parsed;
    const body = parsed.value;
    if (
      !isRecord(body) ||
      typeof body.access_token !== "string" ||
      typeof body.expires_in !== "number"
    ) {
      return badReply("kemnaker", "token reply is malformed");
    }
    token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return ok(body.access_token);
  }

  /** One token request at a time, however many calls need a token at once. */
  function currentToken(ctx: CallContext): Promise<Result<string>> {
    if (token && token.expiresAt - TOKEN_MARGIN_MS > Date.now())
      return Promise.resolve(ok(token.value));
    if (options.shareTokenRequests === false) return fetchToken(ctx);
    pendingToken ??= fetchToken(ctx).finally(() => {
      pendingToken = undefined;
    });
    return pendingToken;
  }

  async function post(
    path: string,
    body: object,
    ctx: CallContext,
    retried = false,
  ): Promise<Result<unknown>> {
    const bearer = await currentToken(ctx);
    if (!bearer.ok) return bearer;
    const reply = await client.call(
      {
        method: "POST",
        url: `${baseUrl}${path}`,
        headers: { "content-type": "application/json", authorization: `Bearer ${bearer.value}` },
        body: JSON.stringify(body),
      },
      { idempotent: true, ctx },
    );
    if (!reply.ok && reply.error.status === 401 && !retried) {
      // The source revoked or expired the token early: get a new one, once.
      token = undefined;
      return post(path, body, ctx, true);
    }
    if (!reply.ok && reply.error.status === 404) return ok(undefined);
    return reply.ok ? parseReply("kemnaker", reply.value.body) : reply;
  }

  return withCanonicalEnrolments({
    id: "kemnaker",
    programs: KEMNAKER_PROGRAMS,
    maxBulk: BULK_LIMIT,
    health: () => client.health(),
    close: () => client.close(),
    async enrolments(nik, ctx) {
      const reply = await post("/api/v1/penerima/cek", { nik }, ctx);
      if (!reply.ok) return reply;
      // 404 means Kemnaker never paid this NIK under either program.
      if (reply.value === undefined) return ok(mapKemnakerRecipient(undefined, now()));
      const recipient = isRecord(reply.value) ? reply.value.data : undefined;
      if (!isKemnakerRecipient(recipient)) return badReply("kemnaker", "recipient is malformed");
      return ok(mapKemnakerRecipient(recipient.nik === nik ? recipient : undefined, now()));
    },
    async enrolmentsBulk(niks, ctx) {
      const reply = await post("/api/v1/penerima/cek-bulk", { nik: niks }, ctx);
      if (!reply.ok) return reply;
      const data = isRecord(reply.value) ? reply.value.data : undefined;
      if (!Array.isArray(data) || !data.every(isKemnakerRecipient)) {
        return reply.value === undefined
          ? fail({ kind: "BAD_RESPONSE", retryable: false, detail: "kemnaker: bulk answered 404" })
          : badReply("kemnaker", "bulk recipients are malformed");
      }
      const byNik = new Map<string, KemnakerRecipient>(data.map((r) => [r.nik, r]));
      const retrievedAt = now();
      const answers = new Map<string, SourceEnrolments>();
      for (const nik of niks) answers.set(nik, mapKemnakerRecipient(byNik.get(nik), retrievedAt));
      return ok(answers);
    },
  });
}
