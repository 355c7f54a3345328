/** Fault injection shared by every ministry simulator: latency, errors, hangs, bad bodies. */
import { Random } from "../world/prng.ts";

/** How long a simulator waits before answering. */
export type LatencyDistribution =
  | { readonly kind: "none" }
  | { readonly kind: "fixed"; readonly ms: number }
  | { readonly kind: "uniform"; readonly minMs: number; readonly maxMs: number }
  /** Heavy-tailed, like real upstreams: half the calls under `medianMs`, 1% over `p99Ms`. */
  | { readonly kind: "lognormal"; readonly medianMs: number; readonly p99Ms: number };

/** How a malformed reply is malformed. `mixed` picks one of the others per request. */
export type MalformedKind = "truncated" | "wrong-types" | "html" | "mixed";

/**
 * Every knob; rates are probabilities in [0, 1] drawn per request from a seeded stream, so a
 * rate of 1 is deterministic. Outcomes are tried in order: timeout, error, malformed, oversized.
 */
export interface FaultSettings {
  readonly latency: LatencyDistribution;
  /** Share of requests answered 500 or 503 (half each). */
  readonly errorRate: number;
  /** Share of those 503s that carry `Retry-After` (RFC 9110 §10.2.3). */
  readonly retryAfterRate: number;
  readonly retryAfterSeconds: number;
  /** Share of requests never answered (the socket stays open until the client gives up). */
  readonly timeoutRate: number;
  readonly malformedRate: number;
  readonly malformedKind: MalformedKind;
  /** Share of requests answered with a valid but huge JSON body, streamed without a length. */
  readonly oversizedRate: number;
  readonly oversizedBytes: number;
  /** Seed of the fault stream (latency samples and rate draws). */
  readonly seed: number;
}

export const HEALTHY: FaultSettings = {
  latency: { kind: "none" },
  errorRate: 0,
  retryAfterRate: 0.5,
  retryAfterSeconds: 1,
  timeoutRate: 0,
  malformedRate: 0,
  malformedKind: "mixed",
  oversizedRate: 0,
  oversizedBytes: 20 * 1024 * 1024,
  seed: 1,
};

export type FaultOutcome =
  | { readonly kind: "normal" }
  | { readonly kind: "timeout" }
  | { readonly kind: "error"; readonly status: 500 | 503; readonly retryAfter?: number }
  | { readonly kind: "malformed"; readonly how: Exclude<MalformedKind, "mixed"> }
  | { readonly kind: "oversized"; readonly bytes: number };

const Z_99 = 2.326_347_874;
const MALFORMED: readonly Exclude<MalformedKind, "mixed">[] = ["truncated", "wrong-types", "html"];

/** Validates a settings patch (from code or from `POST /__control`); returns problems found. */
export function checkSettings(patch: Partial<FaultSettings>): string[] {
  const problems: string[] = [];
  const rate = (name: keyof FaultSettings) => {
    const value = patch[name];
    if (value !== undefined && !(typeof value === "number" && value >= 0 && value <= 1)) {
      problems.push(`${name} must be a number between 0 and 1`);
    }
  };
  rate("errorRate");
  rate("retryAfterRate");
  rate("timeoutRate");
  rate("malformedRate");
  rate("oversizedRate");
  const positive = (name: keyof FaultSettings) => {
    const value = patch[name];
    if (
      value !== undefined &&
      !(typeof value === "number" && Number.isFinite(value) && value >= 0)
    ) {
      problems.push(`${name} must be a non-negative number`);
    }
  };
  positive("retryAfterSeconds");
  positive("oversizedBytes");
  positive("seed");
  if (patch.malformedKind !== undefined && ![...MALFORMED, "mixed"].includes(patch.malformedKind)) {
    problems.push("malformedKind must be truncated, wrong-types, html or mixed");
  }
  const latency = patch.latency as Record<string, unknown> | undefined;
  if (latency !== undefined) {
    const n = (key: string) => typeof latency[key] === "number" && (latency[key] as number) >= 0;
    const ok =
      latency.kind === "none" ||
      (latency.kind === "fixed" && n("ms")) ||
      (latency.kind === "uniform" && n("minMs") && n("maxMs")) ||
      (latency.kind === "lognormal" && n("medianMs") && n("p99Ms"));
    if (!ok)
      problems.push(
        "latency must be none, fixed {ms}, uniform {minMs,maxMs} or lognormal {medianMs,p99Ms}",
      );
  }
  return problems;
}

/** Current fault settings plus the seeded stream that draws from them. */
export class FaultPlan {
  private current: FaultSettings = HEALTHY;
  private random = new Random(HEALTHY.seed);

  get settings(): FaultSettings {
    return this.current;
  }

  /** Merges a patch; throws a TypeError listing problems when it is invalid. */
  set(patch: Partial<FaultSettings>): void {
    const problems = checkSettings(patch);
    if (problems.length > 0) throw new TypeError(problems.join("; "));
    this.current = { ...this.current, ...patch };
    if (patch.seed !== undefined) this.random = new Random(patch.seed);
  }

  reset(): void {
    this.current = HEALTHY;
    this.random = new Random(HEALTHY.seed);
  }

  /** Milliseconds to wait before answering this request. */
  delay(): number {
    const latency = this.current.latency;
    switch (latency.kind) {
      case "none":
        return 0;
      case "fixed":
        return latency.ms;
      case "uniform":
        return latency.minMs + this.random.next() * Math.max(0, latency.maxMs - latency.minMs);
      case "lognormal": {
        const sigma = Math.log(Math.max(latency.p99Ms, latency.medianMs) / latency.medianMs) / Z_99;
        return latency.medianMs * Math.exp(sigma * this.random.normal());
      }
    }
  }

  /** What happens to this request. */
  outcome(): FaultOutcome {
    const s = this.current;
    const r = this.random;
    if (s.timeoutRate > 0 && r.next() < s.timeoutRate) return { kind: "timeout" };
    if (s.errorRate > 0 && r.next() < s.errorRate) {
      if (r.next() < 0.5) return { kind: "error", status: 500 };
      return r.next() < s.retryAfterRate
        ? { kind: "error", status: 503, retryAfter: s.retryAfterSeconds }
        : { kind: "error", status: 503 };
    }
    if (s.malformedRate > 0 && r.next() < s.malformedRate) {
      const how =
        s.malformedKind === "mixed"
          ? (MALFORMED[r.int(0, MALFORMED.length - 1)] ?? "truncated")
          : s.malformedKind;
      return { kind: "malformed", how };
    }
    if (s.oversizedRate > 0 && r.next() < s.oversizedRate) {
      return { kind: "oversized", bytes: s.oversizedBytes };
    }
    return { kind: "normal" };
  }
}

/**
 * The same JSON with its types wrong: digit strings become numbers, numbers become strings,
 * booleans become "Y"/"N" and arrays near the top become objects keyed by position.
 */
export function scrambleTypes(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return /^\d+$/.test(value) ? Number(value) : value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "Y" : "N";
  if (Array.isArray(value)) {
    const items = value.map((item) => scrambleTypes(item, depth + 1));
    return depth <= 1 ? Object.fromEntries(items.map((item, i) => [String(i), item])) : items;
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, scrambleTypes(item, depth + 1)]),
    );
  }
  return value;
}
