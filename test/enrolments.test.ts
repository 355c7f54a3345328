import { describe } from "vitest";
import { describeEnrolments } from "./enrolments.suite.ts";
import { inProcessTarget } from "./support/target.ts";

describe("enrolments (in-process)", () => describeEnrolments(() => inProcessTarget()));
