/** RFC 9457 problem details: the only shape an error leaves the gateway in. */
import { z } from "@hono/zod-openapi";
import { ERROR_STATUS, ERROR_TITLE, type ErrorCode, OAUTH_ERROR, problemType } from "./codes.ts";

/** Thrown at the HTTP edge only; everything below returns failures as values. */
export class ProblemError extends Error {
  override readonly name = "ProblemError";
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    /** Extension members (RFC 9457 §3.2); never internals, upstream bodies or a full NIK. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
    /** Extra response headers, e.g. `Retry-After` or `WWW-Authenticate`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? ERROR_TITLE[code]);
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  requestId: string;
  [extension: string]: unknown;
}

export function problemBody(
  code: ErrorCode,
  requestId: string,
  detail?: string,
  extensions: Readonly<Record<string, unknown>> = {},
): ProblemBody {
  const oauthError = OAUTH_ERROR[code];
  // Standard members first, then extensions, which can never overwrite a standard member.
  const standard = {
    type: problemType(code),
    title: ERROR_TITLE[code],
    status: ERROR_STATUS[code],
    code,
    ...(detail === undefined ? {} : { detail }),
  };
  const safeExtensions = Object.fromEntries(
    Object.entries(extensions).filter(([name]) => !(name in standard) && name !== "requestId"),
  );
  return {
    ...standard,
    ...safeExtensions,
    requestId,
    // RFC 6749 §5.2 clients read `error`; carrying it lets OAuth libraries understand us too.
    ...(oauthError === undefined ? {} : { error: oauthError, error_description: detail }),
  };
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The OpenAPI shape of a problem, declared once and referenced by every route. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    detail: z.string().optional(),
    requestId: z.string(),
    errors: z
      .array(z.object({ pointer: z.string(), detail: z.string() }))
      .optional()
      .openapi({ description: "Each invalid member, as a JSON pointer into the request body." }),
    retryAfterSeconds: z.number().int().optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem details." });
