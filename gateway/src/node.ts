/** Node entry: parses config, then serves the app in this process or supervises workers that do. */
import cluster from "node:cluster";
import { createJsonLogger } from "./logging/logger.ts";
import { hostPort, printListening } from "./node/banner.ts";
import { superviseWorkers } from "./node/cluster.ts";
import { ConfigError, parseNodeConfig } from "./node/config.ts";
import { limitHeapGrowth } from "./node/heap-growth.ts";

async function main(): Promise<void> {
  const config = parseNodeConfig(process.env);
  if (config.SIMPUL_WORKERS > 1 && cluster.isPrimary) {
    superviseWorkers({
      workers: config.SIMPUL_WORKERS,
      logger: createJsonLogger(config.SIMPUL_LOG_LEVEL),
      maintenance: config.SIMPUL_MAINTENANCE,
      drainMs: config.SIMPUL_SHUTDOWN_GRACE_MS + config.SIMPUL_SHUTDOWN_TIMEOUT_MS,
      onListening: (address) =>
        printListening(
          hostPort(address.address, address.port),
          ` (${config.SIMPUL_WORKERS} worker processes)`,
        ),
    });
    return;
  }
  // One process, or one worker of several: the same code either way. Imported here so that a
  // primary, which only supervises, never loads the app and its stores.
  limitHeapGrowth(config.SIMPUL_HEAP_GROWING_PERCENT);
  const { serveGateway } = await import("./node/serve.ts");
  await serveGateway(config);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  console.error("Simpul failed to start:", error);
  process.exit(1);
});
