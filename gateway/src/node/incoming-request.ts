/**
 * Node's {@link RequestAccess}: reads bodies straight from the `IncomingMessage` that
 * @hono/node-server passes as the app's env. Going through `c.req.raw` instead makes the adapter
 * build a full Fetch `Request` (a web stream over the socket and an AbortController) for every
 * call, which cost more CPU than the rest of a lookup together (`load/PROFILE.md`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Context } from "hono";
import { declaredLengthExceeds } from "../../../adapters/core/transport-support.ts";
import { ProblemError } from "../errors/problem.ts";
import { fetchRequestAccess, type RequestAccess, tooLarge } from "../http/request-access.ts";

interface NodeBindings {
  readonly incoming?: IncomingMessage;
  readonly outgoing?: ServerResponse;
}

const bindingsOf = (c: Context): NodeBindings => (c.env ?? {}) as NodeBindings;
/**
 * One signal per connection, not per request. Over HTTP/1.1 a client that goes away closes its
 * socket, and the requests in flight on it are exactly the ones to abort; a request that ends
 * leaves the connection's signal untouched for the next one. Node 20 makes every AbortSignal
 * transferable as it is created (about 3.5 µs each here), so one per request showed as a tenth
 * of a lookup's CPU (`load/compare.ts`, load/PROFILE.md fifth round). Listeners come and go
 * with each call's deadline (`createDeadline` removes its own), so none pile up on a long
 * keep-alive connection.
 */
const connectionSignals = new WeakMap<Socket, AbortController>();

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  if (declaredLengthExceeds(incoming.headers["content-length"], maxBytes)) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: () => void) => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onCutOff);
      incoming.off("close", onCutOff);
      outcome();
    };
    // Counted as it arrives, so a chunked body cannot slip past the limit; the rest is
    // drained by @hono/node-server once the 413 is written.
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(() => reject(tooLarge(maxBytes)));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks, size).toString("utf8")));
    const onCutOff = () =>
      finish(() => reject(new ProblemError("INVALID_REQUEST", "The request body was cut off.")));
    incoming.on("data", onData);
    incoming.once("end", onEnd);
    incoming.once("error", onCutOff);
    incoming.once("close", onCutOff);
  });
}

export const nodeRequestAccess: RequestAccess = {
  header(c, name) {
    const { incoming } = bindingsOf(c);
    if (incoming === undefined) return fetchRequestAccess.header(c, name);
    // `headersDistinct`, not `headers`: Node keeps only the first of a repeated Authorization or
    // Content-Type there, where Fetch (and so every other runtime) would show both.
    return incoming.headersDistinct[name.toLowerCase()]?.join(", ");
  },
  readText(c, maxBytes) {
    const { incoming } = bindingsOf(c);
    // In-process calls (`app.request`) have no socket: the Fetch request is all there is. A
    // message already read to its end would never emit `end` again, so it is not waited on.
    if (incoming === undefined || incoming.readableEnded) {
      return fetchRequestAccess.readText(c, maxBytes);
    }
    return readIncoming(incoming, maxBytes);
  },
  signal(c) {
    const { incoming, outgoing } = bindingsOf(c);
    if (incoming === undefined || outgoing === undefined) return fetchRequestAccess.signal(c);
    const socket = incoming.socket;
    let controller = connectionSignals.get(socket);
    if (controller === undefined) {
      const created = new AbortController();
      const closed = () => created.abort(new Error("client connection closed"));
      if (socket.destroyed) closed();
      else socket.once("close", closed);
      connectionSignals.set(socket, created);
      controller = created;
    }
    return controller.signal;
  },
};
