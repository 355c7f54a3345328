/** Reading a source's JSON reply: a body that is not JSON is a BAD_RESPONSE, never a crash. */
import { fail, ok, type Result } from "./result.ts";
import type { SourceId } from "./source.ts";

export function parseReply(source: SourceId, body: string): Result<unknown> {
  try {
    return ok(JSON.parse(body) as unknown);
  } catch {
    return fail({ kind: "BAD_RESPONSE", retryable: false, detail: `${source}: reply is not JSON` });
  }
}

export const badReply = (source: SourceId, detail: string): Result<never> =>
  fail({ kind: "BAD_RESPONSE", retryable: false, detail: `${source}: ${detail}` });

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
