/** Schema evolution rules for the registry: Confluent-style compatibility modes over JSON Schema. */

import { type CompareOptions, compare } from "./compat-compare.ts";
import type { Difference } from "./compat-types.ts";

export { type CompareOptions, compare } from "./compat-compare.ts";
export { DIFFERENCE_CODES, type Difference, type DifferenceCode } from "./compat-types.ts";

export const COMPATIBILITY_MODES = [
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
  "NONE",
] as const;

/**
 * How a candidate version must relate to the versions already published, with Confluent Schema
 * Registry's meaning, read as sets of the JSON documents each schema accepts:
 *
 * - `BACKWARD`: consumers using the NEW schema can read data produced with the OLD one, so every
 *   document valid under the old schema must be valid under the new one (new ⊇ old). A
 *   difference breaks it when `newerAcceptsAllOfOlder` is false.
 * - `FORWARD`: data produced with the NEW schema can be read by consumers still using the OLD
 *   one (old ⊇ new). A difference breaks it when `olderAcceptsAllOfNewer` is false.
 * - `FULL`: both.
 * - `NONE`: nothing is checked; differences are still listed, none breaking.
 * - `_TRANSITIVE`: checked against every published version, not only the latest.
 */
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/** A difference judged under a mode against one published version. */
export interface JudgedDifference extends Difference {
  /** True when this difference alone violates the mode. */
  readonly breaking: boolean;
  /** Index into `existingVersions` (0 = oldest) of the version the candidate was compared with. */
  readonly against: number;
  /** Why it breaks, or why it does not, under the mode. */
  readonly verdict: string;
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  readonly mode: CompatibilityMode;
  /** Every difference against every version checked, breaking or not, oldest version first. */
  readonly differences: readonly JudgedDifference[];
}

export const isCompatibilityMode = (value: unknown): value is CompatibilityMode =>
  typeof value === "string" && (COMPATIBILITY_MODES as readonly string[]).includes(value);

/**
 * Decides whether `candidate` may be published after `existingVersions` (ordered oldest to
 * newest) under `mode`. Non-transitive modes compare with the latest version only; transitive
 * ones with each. With no existing version, anything is compatible. Under `NONE` the
 * differences against the latest version are listed for information.
 *
 * @example
 * const result = checkCompatibility("BACKWARD", v3, [v1, v2]);
 * if (!result.compatible) {
 *   for (const d of result.differences.filter((d) => d.breaking)) console.log(d.pointer, d.verdict);
 * }
 */
export function checkCompatibility(
  mode: CompatibilityMode,
  candidate: unknown,
  existingVersions: readonly unknown[],
  options: CompareOptions = {},
): CompatibilityResult {
  if (existingVersions.length === 0) return { compatible: true, mode, differences: [] };
  const latest = existingVersions.length - 1;
  const targets = mode.endsWith("_TRANSITIVE") ? existingVersions.map((_, i) => i) : [latest];
  const base = mode.replace(/_TRANSITIVE$/, "") as "BACKWARD" | "FORWARD" | "FULL" | "NONE";
  const differences: JudgedDifference[] = [];
  for (const against of targets) {
    for (const difference of compare(existingVersions[against], candidate, options)) {
      differences.push(judge(difference, base, against));
    }
  }
  return { compatible: differences.every((d) => !d.breaking), mode, differences };
}

function judge(
  d: Difference,
  mode: "BACKWARD" | "FORWARD" | "FULL" | "NONE",
  against: number,
): JudgedDifference {
  const readsOld = d.newerAcceptsAllOfOlder;
  const oldReadsNew = d.olderAcceptsAllOfNewer;
  const version = `version ${against + 1}`;
  const backwardBreak = `breaks BACKWARD: consumers on the new schema could not read some data written with ${version}`;
  const forwardBreak = `breaks FORWARD: consumers still on ${version} could not read some data written with the new schema`;
  let breaking = false;
  let verdict: string;
  switch (mode) {
    case "NONE":
      verdict = "not checked: the subject's mode is NONE";
      break;
    case "BACKWARD":
      breaking = !readsOld;
      verdict = breaking
        ? backwardBreak
        : `BACKWARD-safe: the new schema accepts everything ${version} accepted here`;
      break;
    case "FORWARD":
      breaking = !oldReadsNew;
      verdict = breaking
        ? forwardBreak
        : `FORWARD-safe: ${version} accepts everything the new schema accepts here`;
      break;
    case "FULL":
      breaking = !readsOld || !oldReadsNew;
      verdict = breaking
        ? [!readsOld && backwardBreak, !oldReadsNew && forwardBreak].filter(Boolean).join("; ")
        : `FULL-safe: ${version} and the new schema accept the same documents here`;
      break;
  }
  return { ...d, breaking, against, verdict };
}
