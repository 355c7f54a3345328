/** The one place errors become responses: onError, notFound and the validation hook. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import type { GatewayEnv } from "../env.ts";
import { answerWith } from "../http/answer-headers.ts";
import { StoreUnavailableError } from "../stores/errors.ts";
import { ERROR_STATUS, type ErrorCode } from "./codes.ts";
import { PROBLEM_CONTENT_TYPE, ProblemError, problemBody } from "./problem.ts";

/** Marks the invalid-type message of a NIK so the hook can give it its own code. */
export const NIK_NOT_STRING_MESSAGE = "NIK must be a JSON string of 16 digits, not a number.";

export function problemResponse(c: Context<GatewayEnv>, error: ProblemError): Response {
  const requestId = c.get("requestId") ?? "unknown";
  const body = problemBody(error.code, requestId, error.detail, error.extensions);
  // The request's fields (rate-limit state) and the security headers still apply to the error;
  // a route's own headers (a cache lifetime, say) do not.
  return answerWith(c, JSON.stringify(body), ERROR_STATUS[error.code], PROBLEM_CONTENT_TYPE, {
    "Cache-Control": "no-store",
    "X-Request-Id": requestId,
    ...error.headers,
  });
}

export function handleError(error: Error, c: Context<GatewayEnv>): Response {
  if (error instanceof ProblemError) return problemResponse(c, error);
  if (error instanceof StoreUnavailableError) {
    // A store that cannot answer in time: fail closed and tell the caller to come back.
    c.get("services")?.logger.log("error", "store unavailable", {
      requestId: c.get("requestId"),
      store: error.store,
      message: error.message,
    });
    return problemResponse(
      c,
      new ProblemError("SERVICE_UNAVAILABLE", undefined, {}, { "Retry-After": "1" }),
    );
  }
  if (error instanceof HTTPException && error.status === 400) {
    return problemResponse(c, new ProblemError("MALFORMED_JSON", "The body is not valid JSON."));
  }
  // Unknown errors are logged for operators and never echoed: no message, no stack.
  c.get("services")?.logger.log("error", "unhandled error", {
    requestId: c.get("requestId"),
    name: error.name,
    message: error.message,
    stack: error.stack,
  });
  return problemResponse(c, new ProblemError("INTERNAL"));
}

/** Turns zod issues into one problem with a JSON pointer per invalid member. */
export function problemFromZod(error: ZodError): ProblemError {
  const issues = error.issues;
  const errors = issues.map((issue) => ({
    pointer: `/${issue.path.map((part) => String(part).replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`,
    detail:
      issue.code === "unrecognized_keys"
        ? `Unknown properties: ${issue.keys.join(", ")}`
        : issue.message,
  }));
  const first = issues[0];
  let code: ErrorCode = "INVALID_REQUEST";
  if (first?.code === "unrecognized_keys") code = "UNKNOWN_PROPERTY";
  else if (first?.message === NIK_NOT_STRING_MESSAGE) code = "NIK_NOT_STRING";
  else if (first?.code === "custom" && typeof first.params?.problem === "string") {
    code = first.params.problem as ErrorCode;
  }
  return new ProblemError(code, errors[0]?.detail ?? "The request is not valid.", { errors });
}
