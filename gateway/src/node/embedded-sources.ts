/** The embedded default: one synthetic world and its ministry simulators on loopback. */
import { type Simulators, startSimulators } from "../../../adapters/simulators/index.ts";
import { generateWorld, type World } from "../../../adapters/world/index.ts";

export interface EmbeddedSources {
  readonly world: World;
  readonly simulators: Simulators;
  close(): Promise<void>;
}

export async function startEmbeddedSources(options: {
  seed: number;
  size: number;
}): Promise<EmbeddedSources> {
  const world = generateWorld(options);
  const simulators = await startSimulators({ world });
  return { world, simulators, close: () => simulators.close() };
}
