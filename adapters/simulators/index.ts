/** Starts the four ministry simulators over one world, on loopback. */
import type { DukcapilCredentials } from "../dukcapil/native.ts";
import { startDukcapilSimulator } from "../dukcapil/simulator.ts";
import type { KemenkopUkmCredentials } from "../kemenkopukm/native.ts";
import { startKemenkopUkmSimulator } from "../kemenkopukm/simulator.ts";
import type { KemensosCredentials } from "../kemensos/native.ts";
import { startKemensosSimulator } from "../kemensos/simulator.ts";
import type { KemnakerCredentials } from "../kemnaker/native.ts";
import { startKemnakerSimulator } from "../kemnaker/simulator.ts";
import type { World } from "../world/index.ts";
import type { SimulatorControl } from "./server.ts";

export type { FaultSettings, LatencyDistribution, MalformedKind } from "./faults.ts";
export { HEALTHY } from "./faults.ts";
export type { SimulatorControl, SimulatorStats } from "./server.ts";

export interface SimulatorsOptions {
  readonly world: World;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Fixed ports per source; 0 or absent means any free port. */
  readonly ports?: Partial<Record<"dukcapil" | "kemensos" | "kemnaker" | "kemenkopukm", number>>;
  /** Dukcapil's daily quota per user (default 10 000 000). */
  readonly dukcapilDailyQuota?: number;
}

/** One running simulator, as a client needs it. */
export interface SimulatorEndpoint<C> {
  /**
   * Where the client points: for Dukcapil the method base (`…/dukcapil/get_json/SIMPUL`, append
   * `/CALL_NIK`); for the others the origin (paths in each source's native.ts).
   */
  readonly url: string;
  /** `http://host:port`; `POST /__control` lives here. */
  readonly origin: string;
  readonly credentials: C;
  readonly control: SimulatorControl;
}

export interface Simulators {
  /** Credentials go in each JSON body: `{ user_id, password, ip_user }`. */
  readonly dukcapil: SimulatorEndpoint<DukcapilCredentials> & {
    setDailyQuota(calls: number): void;
  };
  /** Credentials: `{ apiKey }`, sent as the `X-Api-Key` header. */
  readonly kemensos: SimulatorEndpoint<KemensosCredentials>;
  /** Credentials: `{ clientId, clientSecret }`, exchanged at `/oauth/token` for a bearer token. */
  readonly kemnaker: SimulatorEndpoint<KemnakerCredentials>;
  /** Credentials: `{ username, password }`, sent as HTTP Basic. */
  readonly kemenkopukm: SimulatorEndpoint<KemenkopUkmCredentials>;
  /** Resets every simulator to healthy (settings and up). */
  resetAll(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts all four simulators (each on its own port) serving the same world.
 *
 * @example
 * const world = generateWorld({ seed: 1, size: 20_000 });
 * const sims = await startSimulators({ world });
 * sims.dukcapil.control.set({ errorRate: 0.1 });
 * await sims.close();
 */
export async function startSimulators(options: SimulatorsOptions): Promise<Simulators> {
  const { world, host = "127.0.0.1", ports = {} } = options;
  const [dukcapil, kemensos, kemnaker, kemenkopukm] = await Promise.all([
    startDukcapilSimulator({
      world,
      host,
      port: ports.dukcapil ?? 0,
      ...(options.dukcapilDailyQuota === undefined
        ? {}
        : { dailyQuota: options.dukcapilDailyQuota }),
    }),
    startKemensosSimulator({ world, host, port: ports.kemensos ?? 0 }),
    startKemnakerSimulator({ world, host, port: ports.kemnaker ?? 0 }),
    startKemenkopUkmSimulator({ world, host, port: ports.kemenkopukm ?? 0 }),
  ]);
  const all = [dukcapil, kemensos, kemnaker, kemenkopukm];
  const endpoint = <C>(sim: {
    url: string;
    origin: string;
    credentials: C;
    control: SimulatorControl;
  }) => ({
    url: sim.url,
    origin: sim.origin,
    credentials: sim.credentials,
    control: sim.control,
  });
  return {
    dukcapil: { ...endpoint(dukcapil), setDailyQuota: (calls) => dukcapil.setDailyQuota(calls) },
    kemensos: endpoint(kemensos),
    kemnaker: endpoint(kemnaker),
    kemenkopukm: endpoint(kemenkopukm),
    async resetAll() {
      await Promise.all(all.map((sim) => sim.control.reset()));
    },
    async close() {
      await Promise.all(all.map((sim) => sim.close()));
    },
  };
}
