/**
 * A TCP proxy that holds every chunk for a fixed time in each direction, to stand for a network
 * between the gateway and Redis (a round trip gains twice the delay; Node's timers make each
 * delay at least about 1 ms, so treat the figure as a floor). Order is kept per direction. Run as a child process so its timers do not share the measured event loop:
 *
 *   tsx load/lib/latency-proxy.ts <target host:port> <one-way delay ms>   → prints the port
 */
import { connect, createServer, type Socket } from "node:net";

const [target = "127.0.0.1:6379", delayArg = "0.5"] = process.argv.slice(2);
const [host = "127.0.0.1", port = "6379"] = target.split(":");
const delayMs = Number(delayArg);

/** Forwards `from` to `to`, each chunk `delayMs` after it arrived. */
function delayed(from: Socket, to: Socket): void {
  from.on("data", (chunk) => {
    setTimeout(() => to.write(chunk), delayMs);
  });
  from.on("close", () => setTimeout(() => to.destroy(), delayMs));
  from.on("error", () => to.destroy());
}

const server = createServer((client) => {
  client.setNoDelay(true);
  const upstream = connect(Number(port), host);
  upstream.setNoDelay(true);
  delayed(client, upstream);
  delayed(upstream, client);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(address.port);
});
