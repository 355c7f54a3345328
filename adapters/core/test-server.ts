/** Real local HTTP servers for the transport and client tests (Node only, test code). */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  readonly origin: string;
  /** TCP connections the server has accepted so far. */
  readonly connections: number;
  /** Requests the server has received so far. */
  readonly requests: number;
  /** Most requests it was handling at the same moment. */
  readonly peakInFlight: number;
  close(): Promise<void>;
}

export type TestHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
) => unknown;

/** Starts a server on 127.0.0.1 with an OS-chosen port; `close()` also drops hung sockets. */
export async function startServer(handler: TestHandler): Promise<TestServer> {
  let connections = 0;
  let requests = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const server = createServer((request, response) => {
    requests++;
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    response.on("close", () => {
      inFlight--;
    });
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void Promise.resolve(handler(request, response, Buffer.concat(chunks).toString("utf8")));
    });
  });
  server.on("connection", () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    get peakInFlight() {
      return peakInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An origin on which nothing listens: a port the OS just gave out and took back. */
export async function refusedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
