/** Node entry: parses config, wires the runtime, serves the app, shuts down cleanly. */
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { createJsonLogger } from "./logging/logger.ts";
import { buildNodeServices } from "./node/build-services.ts";
import { ConfigError, parseNodeConfig } from "./node/config.ts";

async function main(): Promise<void> {
  const config = parseNodeConfig(process.env);
  const logger = createJsonLogger(config.SIMPUL_LOG_LEVEL);
  const origin = config.SIMPUL_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  const node = await buildNodeServices(config, logger, origin.replace(/\/$/, ""));
  const app = createApp(node.services);
  const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
    const base = `http://${info.address.includes(":") ? `[${info.address}]` : info.address}:${info.port}`;
    console.log(`Simpul gateway listening on ${base}`);
    console.log(`  API docs:  ${base}/docs`);
    console.log(`  OpenAPI:   ${base}/openapi.json`);
    if (node.embedded) {
      console.log(
        `  Sources:   embedded simulators (${config.SIMPUL_WORLD_SIZE} synthetic persons, seed ${config.SIMPUL_WORLD_SEED})`,
      );
      console.log(`  Demo clients: ${config.SIMPUL_CLIENTS_FILE} (development only)`);
    }
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log("info", "shutting down", { signal });
    server.close(async () => {
      await node.close();
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  console.error("Simpul failed to start:", error);
  process.exit(1);
});
