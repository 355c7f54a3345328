/** Public types of the SDK, derived from the generated OpenAPI types so they cannot drift. */
import type { components, operations } from "./generated/api.ts";

/** Every schema of the Simpul API, as generated from its OpenAPI document. */
export type Schemas = components["schemas"];

/** The operation ids of the Simpul API (`identity.lookup`, `enrolments.check`, …). */
export type OperationId = keyof operations;

type JsonContent<T> = T extends { content: { "application/json": infer Body } } ? Body : never;

/** The JSON request body of an operation. */
export type RequestBody<Id extends OperationId> = JsonContent<operations[Id]["requestBody"]>;

type Success<Responses> = Responses extends { 200: infer Ok }
  ? Ok
  : Responses extends { 201: infer Created }
    ? Created
    : never;

/** The JSON body of an operation's successful (200 or 201) response. */
export type ResponseBody<Id extends OperationId> = JsonContent<
  Success<operations[Id]["responses"]>
>;

/** The path parameters of an operation, e.g. `{ subject: string }`. */
export type PathParams<Id extends OperationId> = NonNullable<operations[Id]["parameters"]["path"]>;

/** The query parameters of an operation. */
export type QueryParams<Id extends OperationId> = NonNullable<
  operations[Id]["parameters"]["query"]
>;

/** RFC 9457 problem details, as every Simpul error is sent. */
export type Problem = Schemas["Problem"];

/** The closed set of error codes the gateway answers with. */
export type ErrorCode = Problem["code"];

/** Why personal data is processed; the gateway checks it against the client's allowed purposes. */
export type Purpose = NonNullable<
  NonNullable<operations["identity.lookup"]["parameters"]["header"]>["simpul-purpose"]
>;

/** PKH, BPNT, PBI, BST, PRAKERJA, BSU, BPUM. */
export type ProgramCode = Schemas["ProgramCode"];

export type IdentityLookupRequest = RequestBody<"identity.lookup">;
/**
 * Members the gateway fills with a default come out of openapi-typescript as required (its
 * `defaultNonNullable`, right for responses); in a request they may be left out.
 */
type Defaulted<Body, Keys extends keyof Body> = Omit<Body, Keys> & Partial<Pick<Body, Keys>>;

export type IdentityVerifyRequest = Defaulted<RequestBody<"identity.verify">, "threshold">;
export type IdentityVerifyResponse = ResponseBody<"identity.verify">;
export type IdentityLookupResponse = ResponseBody<"identity.lookup">;
export type EnrolmentCheckRequest = RequestBody<"enrolments.check">;
export type EnrolmentCheckResult = ResponseBody<"enrolments.check">;
export type RuleSet = ResponseBody<"programs.list">;
export type SourceList = ResponseBody<"sources.list">;
export type SourceHealth = Schemas["SourceHealth"];
export type Finding = Schemas["Finding"];
export type ProgramEnrolment = Schemas["ProgramEnrolment"];
export type GrantedPerson = Schemas["GrantedPerson"];
export type SchemaVersion = Schemas["SchemaVersion"];
export type SchemaVersionSummary = Schemas["SchemaVersionSummary"];
export type CompatibilityReport = Schemas["CompatibilityReport"];
export type CompatibilityMode = Schemas["CompatibilityMode"];
export type AuditEntry = Schemas["AuditEntry"];
export type AuditSubjectRequest = Defaulted<RequestBody<"audit.subject">, "limit">;
export type AuditPage = Schemas["AuditPage"];
export type AuditVerification = Schemas["AuditVerification"];

/** One NDJSON line of `enrolments.checkBatch` exactly as the gateway sends it. */
export type EnrolmentBatchWireLine = Schemas["EnrolmentBatchLine"];

/** A checked NIK in a batch; `index` is its position in the whole input. */
export type EnrolmentBatchResultLine = Extract<EnrolmentBatchWireLine, { result: unknown }>;

/**
 * A NIK the batch could not check (e.g. `NIK_WRONG_LENGTH`, `OUTSIDE_CLIENT_REGION`); `index` is
 * its position in the whole input and `nik` is the input value, added by the SDK.
 */
export type EnrolmentBatchErrorLine = Extract<EnrolmentBatchWireLine, { error: unknown }> & {
  readonly nik: string;
};

/** What `client.enrolments.checkBatch` yields: one line per input, in input order. */
export type EnrolmentBatchLine = EnrolmentBatchResultLine | EnrolmentBatchErrorLine;

/** The last line of every batch stream; its absence means the stream was cut short. */
export type EnrolmentBatchDoneLine = Extract<EnrolmentBatchWireLine, { done: true }>;
