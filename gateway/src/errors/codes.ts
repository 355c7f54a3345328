/** The closed set of error codes Simpul answers with, and the HTTP status of each. */

export const ERROR_STATUS = {
  // 400: the request itself is malformed
  INVALID_REQUEST: 400,
  MALFORMED_JSON: 400,
  UNKNOWN_PROPERTY: 400,
  NIK_NOT_STRING: 400,
  NIK_IN_URL: 400,
  // 401: who is calling is unknown
  UNAUTHENTICATED: 401,
  INVALID_TOKEN: 401,
  INVALID_CLIENT: 401,
  // 403: known caller, not allowed
  INSUFFICIENT_SCOPE: 403,
  PURPOSE_REQUIRED: 403,
  PURPOSE_NOT_ALLOWED: 403,
  // 404 / 405
  NOT_FOUND: 404,
  PERSON_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  // 409: the registry itself is inconsistent for this NIK
  DUPLICATE_NIK: 409,
  // schema registry
  SCHEMA_NOT_FOUND: 404,
  SCHEMA_INCOMPATIBLE: 409,
  SCHEMA_VERSION_EXISTS: 409,
  SCHEMA_VERSION_NOT_NEWER: 409,
  SCHEMA_PUBLISH_CONFLICT: 409,
  SCHEMA_INVALID: 422,
  // 413 / 415
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // 422: well-formed, but the NIK or the grant is not usable
  NIK_WRONG_LENGTH: 422,
  NIK_NOT_ASCII_DIGITS: 422,
  NIK_UNKNOWN_PROVINCE: 422,
  NIK_INVALID_BIRTH_DATE: 422,
  NIK_INVALID_SERIAL: 422,
  UNSUPPORTED_GRANT_TYPE: 400,
  INVALID_SCOPE: 400,
  // 429
  RATE_LIMITED: 429,
  // 5xx: our side or the sources'
  INTERNAL: 500,
  SOURCE_UNAVAILABLE: 503,
  SOURCE_TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  AUDIT_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

/** Human titles, stable per code (RFC 9457 §3.1.3: the title does not change between occurrences). */
export const ERROR_TITLE: Record<ErrorCode, string> = {
  INVALID_REQUEST: "The request is not valid",
  MALFORMED_JSON: "The body is not valid JSON",
  UNKNOWN_PROPERTY: "The body has a property this operation does not accept",
  NIK_NOT_STRING: "The NIK must be a string",
  NIK_IN_URL: "A NIK must never travel in a URL",
  UNAUTHENTICATED: "Authentication is required",
  INVALID_TOKEN: "The access token is not valid",
  INVALID_CLIENT: "Client authentication failed",
  INSUFFICIENT_SCOPE: "The token lacks the scope this operation needs",
  PURPOSE_REQUIRED: "A purpose must be declared for personal data",
  PURPOSE_NOT_ALLOWED: "The declared purpose is not allowed for this client",
  NOT_FOUND: "No such resource",
  PERSON_NOT_FOUND: "No person with this NIK in the civil registry",
  METHOD_NOT_ALLOWED: "This method is not allowed here",
  DUPLICATE_NIK: "The civil registry holds several records for this NIK",
  SCHEMA_NOT_FOUND: "No such schema subject or version",
  SCHEMA_INCOMPATIBLE: "The schema breaks the subject's compatibility mode",
  SCHEMA_VERSION_EXISTS: "This schema version is already published",
  SCHEMA_VERSION_NOT_NEWER: "A new schema version must come after the latest one",
  SCHEMA_PUBLISH_CONFLICT: "Another version of this subject was published at the same time",
  SCHEMA_INVALID: "The schema document cannot be registered",
  PAYLOAD_TOO_LARGE: "The body is too large",
  UNSUPPORTED_MEDIA_TYPE: "The body's content type is not supported",
  NIK_WRONG_LENGTH: "The NIK does not have 16 digits",
  NIK_NOT_ASCII_DIGITS: "The NIK has characters other than ASCII digits",
  NIK_UNKNOWN_PROVINCE: "The NIK's province code does not exist",
  NIK_INVALID_BIRTH_DATE: "The NIK's birth date is impossible",
  NIK_INVALID_SERIAL: "The NIK's serial number is invalid",
  UNSUPPORTED_GRANT_TYPE: "The grant type is not supported",
  INVALID_SCOPE: "The requested scope is not allowed for this client",
  RATE_LIMITED: "Too many requests",
  INTERNAL: "Internal error",
  SOURCE_UNAVAILABLE: "A source needed for this answer is unavailable",
  SOURCE_TIMEOUT: "A source needed for this answer did not answer in time",
  SERVICE_UNAVAILABLE: "The service is unavailable",
  AUDIT_UNAVAILABLE: "The audit trail cannot be written, so no personal data is released",
};

/** Stable `type` per code: a relative URI (RFC 9457 §3.1.1) that the gateway itself documents. */
export const problemType = (code: ErrorCode): string =>
  `/problems/${code.toLowerCase().replaceAll("_", "-")}`;

/** OAuth 2.0 error names (RFC 6749 §5.2) for the codes the token endpoint can answer. */
export const OAUTH_ERROR: Partial<Record<ErrorCode, string>> = {
  INVALID_CLIENT: "invalid_client",
  INVALID_REQUEST: "invalid_request",
  MALFORMED_JSON: "invalid_request",
  UNSUPPORTED_GRANT_TYPE: "unsupported_grant_type",
  INVALID_SCOPE: "invalid_scope",
  UNSUPPORTED_MEDIA_TYPE: "invalid_request",
};
