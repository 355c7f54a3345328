import { describe } from "vitest";
import { describeGatewayBasics } from "./gateway-basics.suite.ts";
import { overHttpTarget } from "./support/target.ts";

describe("gateway (Node entry over HTTP)", () => describeGatewayBasics(() => overHttpTarget()));
