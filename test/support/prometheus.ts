/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line must
 * be a HELP, a TYPE or a sample of a declared family, else it throws naming the line.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
const SUFFIXES: Record<string, string[]> = {
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match?.[1]) throw new Error(`bad labels in: ${line}`);
    labels[match[1]] = (match[2] ?? "").replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  }
  return labels;
}

/** Parses an exposition, checking types are declared before samples and values are numbers. */
export function parsePrometheusText(text: string): {
  types: Map<string, string>;
  samples: Sample[];
} {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || HELP.test(line)) continue;
    const type = TYPE.exec(line);
    if (type?.[1] && type[2]) {
      types.set(type[1], type[2]);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample?.[1] || sample[3] === undefined)
      throw new Error(`not a valid exposition line: ${line}`);
    const name = sample[1];
    const family = [...types].find(([family, kind]) =>
      (SUFFIXES[kind] ?? [""]).some((suffix) => name === family + suffix),
    );
    if (!family) throw new Error(`sample of an undeclared family: ${line}`);
    const value = sample[3] === "+Inf" ? Number.POSITIVE_INFINITY : Number(sample[3]);
    if (Number.isNaN(value) && sample[3] !== "NaN") throw new Error(`not a number: ${line}`);
    samples.push({ name, labels: parseLabels(sample[2] ?? "", line), value });
  }
  return { types, samples };
}

/** Sum of the samples named `name` whose labels include `match`. */
export function sumOf(
  samples: readonly Sample[],
  name: string,
  match: Record<string, string> = {},
): number {
  return samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
