import { spawnSync } from "node:child_process";
import { describe } from "vitest";
import { describeGatewayBasics } from "./gateway-basics.suite.ts";
import { overHttpTarget } from "./support/target.ts";

/** `npm run build:gateway`: the compiled entry deployments and the benchmarks run. */
function buildGateway(): void {
  const built = spawnSync(
    process.execPath,
    ["node_modules/tsup/dist/cli-default.js", "--config", "gateway/tsup.config.ts"],
    { encoding: "utf8" },
  );
  if (built.status !== 0) throw new Error(`npm run build:gateway failed:\n${built.stderr}`);
}

// The same suite as over tsx: the bundle must behave as the source does (paths to schemas/ and
// node_modules/, the lazily loaded server module, the Node request access).
describe("gateway (compiled Node entry over HTTP)", () =>
  describeGatewayBasics(async () => {
    buildGateway();
    return overHttpTarget({}, { entry: "built" });
  }));
