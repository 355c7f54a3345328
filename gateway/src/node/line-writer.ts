/**
 * Log lines gathered per event-loop turn and written to stdout at once: a burst of requests
 * costs one write instead of one `console.log` (formatting plus a write) per line. Lines are
 * never dropped: what is pending is written before the process exits.
 *
 * Each write stays within PIPE_BUF (4096 bytes on Linux) unless one line alone is longer: POSIX
 * makes pipe writes up to that size atomic, so cluster workers sharing one stdout pipe never
 * interleave their lines.
 */

const PIPE_BUF = 4096;

export interface LineWriter {
  write(line: string): void;
  /** Writes what is pending now (also done on `exit`). */
  flush(): void;
}

export interface LineWriterOptions {
  /** Where lines go; stdout by default (synchronous for files and pipes on Linux). */
  readonly stream?: { write(chunk: string): unknown };
  /** Most bytes in one write; a line that would pass it starts the next write. */
  readonly maxWriteBytes?: number;
}

/**
 * @example
 * const logger = createJsonLogger("info", createLineWriter().write);
 */
export function createLineWriter(options: LineWriterOptions = {}): LineWriter {
  const stream = options.stream ?? process.stdout;
  const maxWriteBytes = options.maxWriteBytes ?? PIPE_BUF;
  let pending: string[] = [];
  let pendingBytes = 0;
  let scheduled = false;

  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join("\n")}\n`;
    pending = [];
    pendingBytes = 0;
    stream.write(text);
  };

  process.once("exit", flush);
  return {
    write(line) {
      const bytes = Buffer.byteLength(line) + 1;
      if (pendingBytes + bytes > maxWriteBytes) flush();
      pending.push(line);
      pendingBytes += bytes;
      if (!scheduled) {
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
