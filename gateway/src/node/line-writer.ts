/**
 * Log lines gathered per event-loop turn and written to stdout at once: a burst of requests
 * costs one write instead of one `console.log` (formatting plus a write) per line. Lines are
 * never dropped: what is pending is written before the process exits.
 */

export interface LineWriter {
  write(line: string): void;
  /** Writes what is pending now (also done on `exit`). */
  flush(): void;
}

export interface LineWriterOptions {
  /** Where lines go; stdout by default (synchronous for files and pipes on Linux). */
  readonly stream?: { write(chunk: string): unknown };
  /** Past this many pending characters, write at once rather than at the end of the turn. */
  readonly maxPendingChars?: number;
}

/**
 * @example
 * const logger = createJsonLogger("info", createLineWriter().write);
 */
export function createLineWriter(options: LineWriterOptions = {}): LineWriter {
  const stream = options.stream ?? process.stdout;
  const maxPendingChars = options.maxPendingChars ?? 64 * 1024;
  let pending: string[] = [];
  let pendingChars = 0;
  let scheduled = false;

  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join("\n")}\n`;
    pending = [];
    pendingChars = 0;
    stream.write(text);
  };

  process.once("exit", flush);
  return {
    write(line) {
      pending.push(line);
      pendingChars += line.length + 1;
      if (pendingChars >= maxPendingChars) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
    },
    flush,
  };
}
