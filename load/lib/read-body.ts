/** A request body read straight from Node's message, as the gateway's Node entry reads it. */
import type { IncomingMessage } from "node:http";

export function readBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (chunk: Buffer) => chunks.push(chunk));
    message.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    message.once("error", reject);
  });
}
