/** Declares, per route, which problems it can answer, so OpenAPI and the SDK know them. */
import { ERROR_STATUS, type ErrorCode } from "../errors/codes.ts";
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from "../errors/problem.ts";

/** Problems every authenticated JSON operation can answer. */
export const AUTHENTICATED: readonly ErrorCode[] = [
  "INVALID_REQUEST",
  "UNAUTHENTICATED",
  "INVALID_TOKEN",
  "INSUFFICIENT_SCOPE",
  "RATE_LIMITED",
  "INTERNAL",
];
/** Problems of operations on personal data, with a JSON body. */
export const PERSONAL_DATA: readonly ErrorCode[] = [
  ...AUTHENTICATED,
  "PURPOSE_REQUIRED",
  "PURPOSE_NOT_ALLOWED",
  "MALFORMED_JSON",
  "UNKNOWN_PROPERTY",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "NIK_IN_URL",
];
export const NIK_PROBLEMS: readonly ErrorCode[] = [
  "NIK_NOT_STRING",
  "NIK_WRONG_LENGTH",
  "NIK_NOT_ASCII_DIGITS",
  "NIK_UNKNOWN_PROVINCE",
  "NIK_INVALID_BIRTH_DATE",
  "NIK_INVALID_SERIAL",
];

/** OpenAPI `responses` entries for these codes, grouped by status. */
export function problemResponses(codes: readonly ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      status,
      {
        description: `Problem: ${group.join(", ")}`,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  );
}
