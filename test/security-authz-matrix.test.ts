/**
 * Every demo client against every operation of the OpenAPI document: 403 INSUFFICIENT_SCOPE
 * exactly when the client lacks the operation's declared scope. Routes are read from the served
 * document, so a new route is covered the day it is added.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_CLIENTS } from "./support/dev-clients.ts";
import { type GatewayTarget, inProcessTarget, tokenFor } from "./support/target.ts";

type JsonSchema = Record<string, unknown>;
interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    schema?: JsonSchema;
    example?: unknown;
  }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}
interface OpenApiDocument {
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<string, { flows?: { clientCredentials?: { tokenUrl?: string } } }>;
  };
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

let target: GatewayTarget;
let document: OpenApiDocument;
let cleanNik: string;
const tokens = new Map<string, string>();

beforeAll(async () => {
  target = await inProcessTarget();
  document = (await (await target.fetch("/openapi.json")).json()) as OpenApiDocument;
  const [nik] = target.world.examples("CLEAN", 1);
  if (!nik) throw new Error("world has no clean example");
  cleanNik = nik;
  for (const client of DEV_CLIENTS) tokens.set(client.id, await tokenFor(target, client.id));
});
afterAll(async () => {
  await target?.close();
});

function resolve(schema: JsonSchema | undefined): JsonSchema {
  let current = schema ?? {};
  for (let depth = 0; typeof current.$ref === "string" && depth < 20; depth++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    current = document.components.schemas?.[name] ?? {};
  }
  return current;
}

/** A small value that satisfies the schema's obvious constraints: a "valid-ish" request. */
function sample(raw: JsonSchema | undefined, name = "", depth = 0): unknown {
  const schema = resolve(raw);
  if (depth > 8) return null;
  if (name === "nik" || (schema.pattern === "^[0-9]{16}$" && schema.type === "string")) {
    return cleanNik;
  }
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  for (const key of ["oneOf", "anyOf"] as const) {
    const first = (schema[key] as JsonSchema[] | undefined)?.[0];
    if (first) return sample(first, name, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign(
      {},
      ...schema.allOf.map((part) => sample(part as JsonSchema, name, depth + 1)),
    );
  }
  const type = Array.isArray(schema.type)
    ? (schema.type as string[]).find((t) => t !== "null")
    : (schema.type as string | undefined);
  switch (type ?? (schema.properties ? "object" : undefined)) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(
        required.map((key) => [key, sample(properties[key], key, depth + 1)]),
      );
    }
    case "array": {
      const count = Math.max(1, Number(schema.minItems ?? 1));
      return Array.from({ length: count }, () =>
        sample(schema.items as JsonSchema, name, depth + 1),
      );
    }
    case "integer":
    case "number":
      return Number(schema.minimum ?? schema.exclusiveMinimum ?? 1);
    case "boolean":
      return true;
    case "string": {
      if (schema.format === "date") return "1990-01-05";
      if (schema.format === "date-time") return new Date().toISOString();
      if (schema.format === "uri") return "https://example.org/x";
      return "x".repeat(Math.max(1, Number(schema.minLength ?? 1)));
    }
    default:
      return {};
  }
}

interface Call {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly operation: Operation;
}

function operations(): Call[] {
  const calls: Call[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const path = template.replace(/\{([^}]+)\}/g, (_match, param: string) => {
        const declared = operation.parameters?.find((p) => p.in === "path" && p.name === param);
        const value = declared?.example ?? sample(declared?.schema, param);
        return encodeURIComponent(typeof value === "string" ? value : "x");
      });
      calls.push({ label: `${method.toUpperCase()} ${template}`, method, path, operation });
    }
  }
  return calls;
}

/** The scope sets of which any one suffices; empty when the operation needs no bearer token. */
function requiredScopeSets(operation: Operation): string[][] {
  const security = operation.security ?? document.security ?? [];
  return security.filter((requirement) => "oauth2" in requirement).map((r) => r.oauth2 ?? []);
}

function request(call: Call, headers: Record<string, string>): Promise<Response> {
  const init: RequestInit = { method: call.method.toUpperCase(), headers: { ...headers } };
  const content = call.operation.requestBody?.content ?? {};
  const query = (call.operation.parameters ?? [])
    .filter((p) => p.in === "query" && p.required)
    .map(
      (p) =>
        `${encodeURIComponent(p.name)}=${encodeURIComponent(String(p.example ?? sample(p.schema, p.name)))}`,
    );
  const path = query.length > 0 ? `${call.path}?${query.join("&")}` : call.path;
  if (content["application/json"]) {
    (init.headers as Record<string, string>)["content-type"] = "application/json";
    init.body = JSON.stringify(sample(content["application/json"].schema));
  } else if (content["application/x-www-form-urlencoded"]) {
    (init.headers as Record<string, string>)["content-type"] = "application/x-www-form-urlencoded";
    init.body = "";
  }
  return target.fetch(path, init);
}

async function codeOf(response: Response): Promise<string | undefined> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json")) {
    await response.body?.cancel();
    return undefined;
  }
  return ((await response.json()) as { code?: string }).code;
}

const tokenUrl = () =>
  document.components.securitySchemes?.oauth2?.flows?.clientCredentials?.tokenUrl ?? "/oauth/token";

describe("authorization matrix: every demo client × every documented operation", () => {
  it("covers the documented operations, and each protected one declares exactly its scopes", () => {
    const calls = operations();
    expect(calls.length).toBeGreaterThanOrEqual(10);
    const protectedCalls = calls.filter((call) => requiredScopeSets(call.operation).length > 0);
    expect(protectedCalls.length, "some operations must be protected").toBeGreaterThan(0);
    for (const call of protectedCalls) {
      for (const scopes of requiredScopeSets(call.operation)) {
        expect(scopes.length, `${call.label} names its scope`).toBeGreaterThan(0);
      }
    }
  });

  it("refuses 403 INSUFFICIENT_SCOPE exactly when the client lacks the declared scope", async () => {
    const failures: string[] = [];
    for (const call of operations()) {
      if (call.path === tokenUrl()) continue; // the token endpoint authenticates clients itself
      const scopeSets = requiredScopeSets(call.operation);
      for (const client of DEV_CLIENTS) {
        const headers: Record<string, string> = {
          authorization: `Bearer ${tokens.get(client.id)}`,
          ...(client.purposes[0] ? { "simpul-purpose": client.purposes[0] } : {}),
        };
        const response = await request(call, headers);
        const code = await codeOf(response);
        const where = `${client.id} → ${call.label}: ${response.status} ${code ?? ""}`;
        if (response.status === 500) failures.push(`${where} (a 500 on a valid-ish request)`);
        if (scopeSets.length === 0) {
          if (response.status === 401 || response.status === 403) {
            failures.push(`${where} (public operation refused an authenticated client)`);
          }
          continue;
        }
        const allowed = scopeSets.some((scopes) => scopes.every((s) => client.scopes.includes(s)));
        if (!allowed && (response.status !== 403 || code !== "INSUFFICIENT_SCOPE")) {
          failures.push(
            `${where} (lacks ${scopeSets.map((s) => s.join("+")).join(" or ")}; expected 403 INSUFFICIENT_SCOPE)`,
          );
        }
        if (allowed && (response.status === 403 || response.status === 401)) {
          failures.push(`${where} (holds the scope; must not be refused)`);
        }
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("answers 401 to every protected operation without a token, and never 401/403 on public ones", async () => {
    const failures: string[] = [];
    for (const call of operations()) {
      if (call.path === tokenUrl()) continue;
      const response = await request(call, {});
      const code = await codeOf(response);
      const where = `${call.label}: ${response.status} ${code ?? ""}`;
      if (requiredScopeSets(call.operation).length > 0) {
        if (response.status !== 401 || code !== "UNAUTHENTICATED") {
          failures.push(`${where} (expected 401 UNAUTHENTICATED)`);
        } else if (!response.headers.get("www-authenticate")?.startsWith("Bearer")) {
          failures.push(`${where} (no Bearer challenge)`);
        }
      } else if (response.status === 401 || response.status === 403) {
        failures.push(`${where} (public operation refused)`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("issues every demo client a token carrying exactly its registered scopes", async () => {
    for (const client of DEV_CLIENTS) {
      const response = await target.fetch(tokenUrl(), {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${btoa(`${client.id}:${client.secret}`)}`,
        },
        body: "grant_type=client_credentials",
      });
      expect(response.status, client.id).toBe(200);
      const { scope } = (await response.json()) as { scope: string };
      expect(scope.split(" ").sort(), client.id).toEqual([...client.scopes].sort());
    }
    const anonymous = await target.fetch(tokenUrl(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(anonymous.status).toBe(401);
    expect(await codeOf(anonymous)).toBe("INVALID_CLIENT");
  });
});
