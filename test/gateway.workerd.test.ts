import { describe, vi } from "vitest";
import { describeEnrolments } from "./enrolments.suite.ts";
import { describeGatewayBasics } from "./gateway-basics.suite.ts";
import { overWranglerTarget, workerdSuiteEnabled } from "./support/wrangler.ts";

// Bundling and starting workerd can take a while on a cold CI machine.
vi.setConfig({ hookTimeout: 150_000 });

// The same suites as the Node entry, against the Workers entry in workerd (wrangler dev --local).
describe.runIf(workerdSuiteEnabled())("Workers entry in workerd", () => {
  describe("gateway basics", () => describeGatewayBasics(() => overWranglerTarget()));
  describe("enrolments", () => describeEnrolments(() => overWranglerTarget()));
});
