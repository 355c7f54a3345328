/** One gateway process: wires the runtime, serves the app, shuts down cleanly on SIGTERM. */
import cluster from "node:cluster";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "../app.ts";
import { createJsonLogger } from "../logging/logger.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../routes/ops/metrics.ts";
import { hostPort, printListening } from "./banner.ts";
import { buildNodeServices } from "./build-services.ts";
import type { NodeConfig } from "./config.ts";
import { createLineWriter } from "./line-writer.ts";

/** Runs the gateway in this process: alone, or as one worker of gateway/src/node/cluster.ts. */
export async function serveGateway(config: NodeConfig): Promise<void> {
  const logger = createJsonLogger(config.SIMPUL_LOG_LEVEL, createLineWriter().write);
  const origin = config.SIMPUL_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  const node = await buildNodeServices(config, logger, origin.replace(/\/$/, ""));
  const { services } = node;
  const app = createApp(services);
  const maintenance = services.maintenance ?? { enabled: false };

  const server = serve(
    {
      fetch: async (request, env) => {
        const response = await app.fetch(request, env);
        // While draining, ask keep-alive clients to reconnect (to another instance).
        if (maintenance.draining) response.headers.set("Connection", "close");
        return response;
      },
      hostname: config.HOST,
      port: config.PORT,
    },
    (info) => {
      // A worker stays quiet: the primary prints one banner for all of them.
      if (cluster.isWorker) return;
      printListening(hostPort(info.address, info.port));
      if (node.embedded) {
        console.log(
          `  Sources:   embedded simulators (${config.SIMPUL_WORLD_SIZE} synthetic persons, seed ${config.SIMPUL_WORLD_SEED})`,
        );
        console.log(`  Demo clients: ${config.SIMPUL_CLIENTS_FILE} (development only)`);
      }
    },
  ) as Server;

  const metricsServer =
    config.SIMPUL_METRICS_PORT && services.metrics
      ? serve(
          {
            fetch: new Hono().get("/metrics", (c) =>
              c.body(services.metrics?.registry.render() ?? "", 200, {
                "Content-Type": PROMETHEUS_CONTENT_TYPE,
              }),
            ).fetch,
            // Unauthenticated, so only ever on loopback.
            hostname: "127.0.0.1",
            port: config.SIMPUL_METRICS_PORT,
          },
          (info) => console.log(`  Metrics:   ${hostPort(info.address, info.port)}/metrics`),
        )
      : undefined;

  process.on("SIGUSR2", () => {
    maintenance.enabled = !maintenance.enabled;
    logger.log("warn", "maintenance mode toggled", { enabled: maintenance.enabled });
  });

  let stopping = false;
  const stop = async (signal: string, graceMs: number) => {
    if (stopping) return;
    stopping = true;
    maintenance.draining = true;
    logger.log("info", "draining", { signal, graceMs });
    // Keep accepting while readiness fails, so connections a load balancer (or the kernel's
    // accept queue) already routed here are served rather than reset.
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    // Stop accepting; in-flight requests finish; idle keep-alive sockets are closed as they idle.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const timedOut = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((resolve) =>
        setTimeout(() => resolve(true), config.SIMPUL_SHUTDOWN_TIMEOUT_MS).unref(),
      ),
    ]);
    clearInterval(sweeper);
    if (timedOut) {
      logger.log("warn", "shutdown timeout reached; closing remaining connections");
      server.closeAllConnections();
    }
    metricsServer?.close();
    // Every audit append is awaited by its request, so the trail is complete once requests are.
    await node.close();
    logger.log("info", "stopped", { signal });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM", config.SIMPUL_SHUTDOWN_GRACE_MS));
  // Ctrl-C at a terminal: nobody routes traffic here, so no grace period.
  process.on("SIGINT", () => void stop("SIGINT", 0));
}
