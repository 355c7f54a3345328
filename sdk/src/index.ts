/** @simpul/sdk — a typed client for the Simpul gateway, for any runtime with `fetch`. */
export { DEFAULT_CHUNK_SIZE, MAX_BATCH_SIZE } from "./batch.ts";
export {
  type CallOptions,
  type CheckBatchOptions,
  type ClientSecretCredentials,
  createSimpulClient,
  type PersonalDataOptions,
  type PrivateKeyCredentials,
  type SimpulClient,
  type SimpulClientOptions,
} from "./client.ts";
export {
  SimpulError,
  SimpulNetworkError,
  SimpulProblemError,
  SimpulResponseError,
  SimpulStreamError,
  type SimpulStreamFailure,
  SimpulTimeoutError,
} from "./errors.ts";
export type { components, operations, paths } from "./generated/api.ts";
export {
  isValidNik,
  maskNik,
  type NikProblem,
  type NikProblemCode,
  type NikResult,
  type ParsedNik,
  parseNik,
} from "./nik/validate.ts";
export type { RetryOptions } from "./retry.ts";
export type { FetchLike } from "./transport.ts";
export type * from "./types.ts";
export { SDK_VERSION } from "./version.ts";
