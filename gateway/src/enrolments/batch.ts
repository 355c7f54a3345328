/** Batch checks: many NIKs, asked of every source in bulk chunks, answered in input order. */
import type { SourceEnrolments } from "../../../adapters/core/enrolment-source.ts";
import type { Result } from "../../../adapters/core/result.ts";
import type { CallContext } from "../../../adapters/core/source.ts";
import type { DukcapilLookup } from "../../../adapters/dukcapil/adapter.ts";
import type { EnrolmentSourceId, ProgramCode } from "../../../schemas/src/enrolment.ts";
import { parseNik } from "../../../sdk/src/nik/validate.ts";
import { assembleCheck, type EnrolmentCheck, type Timed } from "./assemble.ts";
import { type CheckDependencies, sourcesFor } from "./check.ts";

export type BatchLine =
  | { readonly index: number; readonly nik: string; readonly result: EnrolmentCheck }
  | { readonly index: number; readonly error: { readonly code: string; readonly detail: string } };

export interface BatchOptions {
  /** NIKs per bulk call to each source. */
  readonly chunkSize: number;
  /** Chunks in flight at once; bounds memory and the load put on the sources. */
  readonly parallelChunks: number;
}

export const DEFAULT_BATCH_OPTIONS: BatchOptions = { chunkSize: 500, parallelChunks: 4 };

async function timedBulk<T>(
  call: () => Promise<Result<ReadonlyMap<string, T>>>,
): Promise<{ result: Result<ReadonlyMap<string, T>>; latencyMs: number }> {
  const started = performance.now();
  const result = await call();
  return { result, latencyMs: performance.now() - started };
}

/** Picks one NIK's answer out of a bulk reply, or carries the bulk failure to it. */
function pick<T>(
  bulk: { result: Result<ReadonlyMap<string, T>>; latencyMs: number },
  nik: string,
  missing: () => T,
): Timed<T> {
  if (!bulk.result.ok) return { result: bulk.result, latencyMs: bulk.latencyMs };
  return {
    result: { ok: true, value: bulk.result.value.get(nik) ?? missing() },
    latencyMs: bulk.latencyMs,
  };
}

async function checkChunk(
  entries: readonly { index: number; value: unknown }[],
  programs: readonly ProgramCode[],
  deps: CheckDependencies,
  ctx: CallContext,
): Promise<BatchLine[]> {
  const lines: BatchLine[] = [];
  const valid: { index: number; nik: string }[] = [];
  for (const { index, value } of entries) {
    const parsed = parseNik(value);
    if (parsed.ok) valid.push({ index, nik: parsed.value.nik });
    else
      lines.push({ index, error: { code: parsed.problem.code, detail: parsed.problem.message } });
  }
  if (valid.length > 0) {
    const niks = [...new Set(valid.map((entry) => entry.nik))];
    const asked = sourcesFor(programs, deps);
    const [civil, ...answers] = await Promise.all([
      timedBulk<DukcapilLookup>(() => deps.dukcapil.lookupBulk(niks, ctx)),
      ...asked.map((source) => timedBulk<SourceEnrolments>(() => source.enrolmentsBulk(niks, ctx))),
    ]);
    const now = deps.now?.() ?? new Date();
    for (const { index, nik } of valid) {
      const sources = new Map<EnrolmentSourceId, Timed<SourceEnrolments>>();
      asked.forEach((source, i) => {
        const answer = answers[i];
        if (answer)
          sources.set(
            source.id,
            pick(answer, nik, () => ({ known: false, enrolments: [] })),
          );
      });
      const result = assembleCheck({
        nik,
        programs,
        civil: civil && pick(civil, nik, () => ({ status: "NOT_FOUND" as const })),
        sources,
        ruleSet: deps.ruleSet,
        now,
      });
      lines.push({ index, nik, result });
    }
  }
  return lines.sort((a, b) => a.index - b.index);
}

/**
 * Checks every input in order, yielding one chunk of lines at a time (one line per input;
 * invalid NIKs become error lines). At most `parallelChunks` chunks are in flight, so memory
 * stays flat whatever the batch size, and nothing is computed faster than it is consumed.
 */
export async function* checkBatch(
  inputs: readonly unknown[],
  programs: readonly ProgramCode[],
  deps: CheckDependencies,
  ctx: CallContext,
  options: BatchOptions = DEFAULT_BATCH_OPTIONS,
): AsyncGenerator<BatchLine[]> {
  const chunkSize = Math.max(
    1,
    Math.min(
      options.chunkSize,
      deps.dukcapil.maxBulk,
      ...sourcesFor(programs, deps).map((source) => source.maxBulk),
    ),
  );
  const pending: Promise<BatchLine[]>[] = [];
  let next = 0;
  const launch = () => {
    const start = next;
    const entries = inputs
      .slice(start, start + chunkSize)
      .map((value, offset) => ({ index: start + offset, value }));
    next += entries.length;
    // Each chunk listens to the request's signal once, through its own controller, instead of
    // every source call adding a listener to the request's (Node warns past ten).
    const controller = new AbortController();
    const forward = () => controller.abort(ctx.signal?.reason);
    ctx.signal?.addEventListener("abort", forward, { once: true });
    const chunk = checkChunk(entries, programs, deps, {
      ...ctx,
      signal: controller.signal,
    }).finally(() => ctx.signal?.removeEventListener("abort", forward));
    // Rejections are observed when the chunk's turn comes; this keeps them from going unhandled.
    chunk.catch(() => undefined);
    pending.push(chunk);
  };
  while (next < inputs.length && pending.length < options.parallelChunks) launch();
  while (pending.length > 0) {
    const lines = await (pending.shift() as Promise<BatchLine[]>);
    if (next < inputs.length && !ctx.signal?.aborted) launch();
    yield lines;
  }
}
