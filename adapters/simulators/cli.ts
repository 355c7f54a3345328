/** Runs the four simulators standalone (for benchmarks): `tsx adapters/simulators/cli.ts`. */
import { parseArgs } from "node:util";
import { generateWorld } from "../world/index.ts";
import { startSimulators } from "./index.ts";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    size: { type: "string", default: "20000" },
    host: { type: "string", default: "127.0.0.1" },
    "dukcapil-port": { type: "string", default: "0" },
    "kemensos-port": { type: "string", default: "0" },
    "kemnaker-port": { type: "string", default: "0" },
    "kemenkopukm-port": { type: "string", default: "0" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(
    "usage: tsx adapters/simulators/cli.ts [--seed N] [--size N] [--host H] [--<source>-port P] [--json]\n" +
      "Prints each simulator's URL and credentials; faults via POST <origin>/__control.",
  );
  process.exit(0);
}

const started = performance.now();
const world = generateWorld({ seed: Number(values.seed), size: Number(values.size) });
const sims = await startSimulators({
  world,
  host: values.host,
  ports: {
    dukcapil: Number(values["dukcapil-port"]),
    kemensos: Number(values["kemensos-port"]),
    kemnaker: Number(values["kemnaker-port"]),
    kemenkopukm: Number(values["kemenkopukm-port"]),
  },
});
const summary = Object.fromEntries(
  (["dukcapil", "kemensos", "kemnaker", "kemenkopukm"] as const).map((id) => [
    id,
    { url: sims[id].url, origin: sims[id].origin, credentials: sims[id].credentials },
  ]),
);
if (values.json) {
  console.log(JSON.stringify({ seed: world.seed, size: world.size, simulators: summary }));
} else {
  console.log(
    `world: seed ${world.seed}, ${world.size} persons (ready in ${Math.round(performance.now() - started)} ms)`,
  );
  for (const [id, s] of Object.entries(summary)) {
    console.log(`${id.padEnd(12)} ${s.url}  credentials ${JSON.stringify(s.credentials)}`);
  }
  console.log("example NIKs: npx tsx scripts/world-examples.ts --seed N --size N");
}

const stop = () => {
  void sims.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
