/** Applies the rule set to what the sources said about one person: pure, so it is easy to test. */
import type {
  Finding,
  ProgramCode,
  ProgramEnrolment,
  RuleSet,
} from "../../../schemas/src/enrolment.ts";

export interface CivilStatus {
  /** What Dukcapil said: found, deceased, several records, not found, or not asked/failed. */
  readonly registry: "FOUND" | "DECEASED" | "MULTIPLE" | "NOT_FOUND" | "UNKNOWN";
  readonly occupation?: string;
  /** Regency (4 digits) that issued the KTP: the NIK's first four digits. */
  readonly ktpRegency?: string;
  /** Regency where the person lives: the registered address, else the social registry's. */
  readonly domicileRegency?: string;
}

const isActive = (enrolment: ProgramEnrolment) =>
  enrolment.enrolled === true && (enrolment.status === "ACTIVE" || enrolment.status === "PAID");

/** A rule binds on `today` when today is within its effective dates. */
const inForce = (rule: { effectiveFrom: string; effectiveTo: string | null }, today: string) =>
  rule.effectiveFrom <= today && (rule.effectiveTo === null || today <= rule.effectiveTo);

/**
 * Findings for one person: rule conflicts, deceased-but-active, not in the civil registry,
 * duplicate NIK and KTP region differing from domicile.
 *
 * Pair rules whose effective period has ended still apply when both enrolments fall within it:
 * a BST payment in 2020 alongside PKH is a finding today, because the overlap happened then.
 */
export function findingsFor(
  ruleSet: RuleSet,
  enrolments: readonly ProgramEnrolment[],
  civil: CivilStatus,
  today: string,
): Finding[] {
  const findings: Finding[] = [];
  const enrolled = new Set<ProgramCode>(
    enrolments.filter((e) => e.enrolled === true && e.status !== "INACTIVE").map((e) => e.program),
  );
  const active = enrolments.filter(isActive).map((e) => e.program);

  for (const rule of ruleSet.rules) {
    if (rule.kind === "PAIR") {
      const [a, b] = rule.programs;
      if (!enrolled.has(a) || !enrolled.has(b)) continue;
      if (rule.effectiveTo === null && !inForce(rule, today)) continue;
      findings.push({
        type: "RULE_CONFLICT",
        severity: rule.severity,
        message: rule.description,
        ruleId: rule.id,
        programs: [a, b],
        relation: rule.relation,
        legalBasis: rule.legalBasis,
      });
    } else if (
      enrolled.has(rule.program) &&
      civil.occupation !== undefined &&
      rule.occupations.includes(civil.occupation.toUpperCase())
    ) {
      findings.push({
        type: "RULE_CONFLICT",
        severity: rule.severity,
        message: `${rule.description} Dukcapil records the occupation as ${civil.occupation}.`,
        ruleId: rule.id,
        programs: [rule.program],
        legalBasis: rule.legalBasis,
      });
    }
  }

  if (civil.registry === "DECEASED" && active.length > 0) {
    findings.push({
      type: "DECEASED_BUT_ACTIVE",
      severity: "HIGH",
      message: "The civil registry records this person as deceased, yet programs are active.",
      programs: active,
    });
  }
  if (civil.registry === "NOT_FOUND" && enrolled.size > 0) {
    findings.push({
      type: "NOT_IN_CIVIL_REGISTRY",
      severity: "HIGH",
      message: "Programs list this NIK, but the civil registry does not hold it.",
      programs: [...enrolled],
    });
  } else if (civil.registry === "NOT_FOUND") {
    findings.push({
      type: "NOT_IN_CIVIL_REGISTRY",
      severity: "MEDIUM",
      message: "The civil registry does not hold this NIK.",
    });
  }
  if (civil.registry === "MULTIPLE") {
    findings.push({
      type: "DUPLICATE_NIK",
      severity: "HIGH",
      message: "The civil registry holds several records for this NIK; resolve it there first.",
    });
  }
  if (
    civil.ktpRegency !== undefined &&
    civil.domicileRegency !== undefined &&
    civil.ktpRegency !== civil.domicileRegency
  ) {
    findings.push({
      type: "KTP_REGION_DIFFERS",
      severity: "LOW",
      message: `Lives in regency ${civil.domicileRegency} but the KTP is registered in ${civil.ktpRegency}; serve them where they live.`,
    });
  }
  return findings;
}
