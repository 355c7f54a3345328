/** The start-up lines an operator reads: where the gateway listens and where its docs are. */

export const hostPort = (address: string, port: number) =>
  `http://${address.includes(":") ? `[${address}]` : address}:${port}`;

/** Prints the "listening on" lines; `note` follows the address, e.g. ` (4 workers)`. */
export function printListening(base: string, note = ""): void {
  console.log(`Simpul gateway listening on ${base}${note}`);
  console.log(`  API docs:  ${base}/docs`);
  console.log(`  OpenAPI:   ${base}/openapi.json`);
}
