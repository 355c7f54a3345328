/** The program catalogue and cross-program rules: data, versioned, checked against its schema. */
import { RuleSet } from "../../../schemas/src/enrolment.ts";
import ruleSetJson from "./rule-set.json" with { type: "json" };

/** The rule set in force, validated once at load so a bad edit fails loudly at start-up. */
export const CURRENT_RULE_SET: RuleSet = RuleSet.parse(ruleSetJson);
