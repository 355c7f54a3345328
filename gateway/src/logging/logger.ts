/** Structured JSON logs; callers pass fields, never a raw NIK (mask it first). */

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SIXTEEN_DIGITS = /\d{16}/g;

/** A logger writing one JSON object per line through `write` (console.log by default). */
export function createJsonLogger(
  minimum: LogLevel = "info",
  write: (line: string) => void = console.log,
): Logger {
  return {
    log(level, message, fields = {}) {
      if (LEVEL_ORDER[level] < LEVEL_ORDER[minimum]) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
      // Last line of defence: whatever slipped through, a 16-digit run never reaches the log.
      write(line.replace(SIXTEEN_DIGITS, (nik) => `${nik.slice(0, 6)}**********`));
    },
  };
}

export const silentLogger: Logger = { log() {} };
