import { describe } from "vitest";
import { describeGatewayBasics } from "./gateway-basics.suite.ts";
import { inProcessTarget } from "./support/target.ts";

describe("gateway (in-process)", () => describeGatewayBasics(inProcessTarget));
