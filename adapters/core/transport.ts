/** The one way adapters reach a source over HTTP, so Node (undici) and Workers (fetch) both fit. */
import type { Result, SourceFailure } from "./result.ts";

export interface TransportRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Total deadline for connect + headers + body, in milliseconds. */
  readonly timeoutMs: number;
  /** Bodies larger than this are refused without being buffered whole. */
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Sends one request; transport faults (refused, timed out, too large) come back as values. */
export interface Transport {
  send(request: TransportRequest): Promise<Result<TransportResponse, SourceFailure>>;
  close(): Promise<void>;
}
