/** The schema registry end to end: stewards publish safely, everyone reads and checks. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../gateway/src/app.ts";
import type { Client } from "../gateway/src/clients/client.ts";
import { buildSchemaRegistry } from "../gateway/src/node/schema-registry.ts";
import { schemaId } from "../gateway/src/schema-registry/subjects.ts";
import type { Services } from "../gateway/src/services.ts";
import { createMemoryRateLimitStore } from "../gateway/src/stores/rate-limit/memory.ts";
import { type GatewayTarget, inProcessTarget, tokenFor } from "./support/target.ts";

type Call = (
  method: string,
  path: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string> },
) => Promise<Response>;

let target: GatewayTarget;
let steward: string;
let reader: string;
let outsider: string;
let baseServices: Services;
let person: Record<string, unknown>;

/** A gateway of its own per test: fresh registry (seeded with `schemas/`) and rate limits. */
async function gateway(overrides: Partial<Services> = {}): Promise<Call> {
  const app = createApp({
    ...baseServices,
    schemaRegistry: await buildSchemaRegistry(undefined, ""),
    rateLimits: createMemoryRateLimitStore(),
    ...overrides,
  });
  return async (method, path, { token, body, headers } = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
}

async function problemOf(response: Response, status: number, code: string) {
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(body.code).toBe(code);
  return body;
}

/** `person` at `version`, changed by `edit`. */
function personAt(version: string, edit: (doc: Record<string, unknown>) => void = () => {}) {
  const doc = structuredClone(person);
  doc.$id = schemaId("person", version);
  doc.version = version;
  edit(doc);
  return doc;
}
const properties = (doc: Record<string, unknown>) =>
  doc.properties as Record<string, Record<string, unknown>>;
const withOptionalNickname = (doc: Record<string, unknown>) => {
  properties(doc).nickname = { type: "string" };
};
const withRequiredNickname = (doc: Record<string, unknown>) => {
  withOptionalNickname(doc);
  (doc.required as string[]).push("nickname");
};

beforeAll(async () => {
  target = await inProcessTarget();
  if (!target.node) throw new Error("in-process target expected");
  baseServices = target.node.services;
  steward = await tokenFor(target, "walidata-bps");
  reader = await tokenFor(target, "dinsos-bandung");
  outsider = await tokenFor(target, "bank-penyalur");
  const call = await gateway();
  const got = await call("GET", "/v1/schemas/person/versions/1.0.0", { token: reader });
  person = ((await got.json()) as { document: Record<string, unknown> }).document;
});
afterAll(async () => {
  await target?.close();
});

describe("reading the registry", () => {
  it("lists the canonical subjects, each at 1.0.0 under BACKWARD", async () => {
    const call = await gateway();
    const response = await call("GET", "/v1/schemas", { token: reader });
    expect(response.status).toBe(200);
    const { subjects } = (await response.json()) as { subjects: Record<string, unknown>[] };
    const names = subjects.map((subject) => subject.subject);
    for (const name of ["person", "household", "program-enrolment", "region-district"]) {
      expect(names, `the canonical ${name} schema must be registered`).toContain(name);
    }
    expect(subjects.find((s) => s.subject === "person")).toEqual({
      subject: "person",
      latestVersion: "1.0.0",
      versionCount: 1,
      mode: "BACKWARD",
    });
  });

  it("lists a subject's versions and answers 404 for an unknown subject", async () => {
    const call = await gateway();
    const response = await call("GET", "/v1/schemas/household/versions", { token: reader });
    expect(await response.json()).toMatchObject({
      subject: "household",
      mode: "BACKWARD",
      versions: [{ version: "1.0.0", publishedBy: "simpul-canonical", deprecated: false }],
    });
    await problemOf(
      await call("GET", "/v1/schemas/no-such-thing/versions", { token: reader }),
      404,
      "SCHEMA_NOT_FOUND",
    );
  });

  it("returns one version's document with its metadata", async () => {
    const call = await gateway();
    const response = await call("GET", "/v1/schemas/person/versions/1.0.0", { token: reader });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      subject: "person",
      version: "1.0.0",
      id: "urn:simpul:schema:person:1.0.0",
      publishedBy: "simpul-canonical",
      deprecated: false,
      successor: null,
    });
    expect(body.document).toMatchObject({ $id: "urn:simpul:schema:person:1.0.0", type: "object" });
    await problemOf(
      await call("GET", "/v1/schemas/person/versions/9.0.0", { token: reader }),
      404,
      "SCHEMA_NOT_FOUND",
    );
  });
});

describe("checking a candidate", () => {
  it("says an added optional field is compatible, naming the difference and why", async () => {
    const call = await gateway();
    const response = await call("POST", "/v1/schemas/person/check", {
      token: reader,
      body: { document: personAt("1.1.0", withOptionalNickname) },
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as Record<string, unknown>;
    expect(report).toMatchObject({ compatible: true, mode: "BACKWARD", checkedAgainst: ["1.0.0"] });
    expect(report.differences).toContainEqual(
      expect.objectContaining({
        pointer: "/properties/nickname",
        change: "PROPERTY_ADDED",
        breaking: false,
        against: "1.0.0",
      }),
    );
  });

  it("says a new required field breaks BACKWARD, and publishes nothing", async () => {
    const call = await gateway();
    const response = await call("POST", "/v1/schemas/person/check", {
      token: reader,
      body: { document: personAt("2.0.0", withRequiredNickname) },
    });
    const report = (await response.json()) as { compatible: boolean; differences: unknown[] };
    expect(report.compatible).toBe(false);
    expect(report.differences).toContainEqual(
      expect.objectContaining({
        pointer: "/properties/nickname",
        change: "REQUIRED_ADDED",
        breaking: true,
        verdict: expect.stringMatching(/^breaks BACKWARD/),
      }),
    );
    const versions = await call("GET", "/v1/schemas/person/versions", { token: reader });
    expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(1);
  });

  it("accepts anything for a subject with no versions yet", async () => {
    const call = await gateway();
    const document = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: schemaId("bansos-lokal", "0.1.0"),
      type: "object",
    };
    const response = await call("POST", "/v1/schemas/bansos-lokal/check", {
      token: reader,
      body: { document },
    });
    expect(await response.json()).toMatchObject({ compatible: true, differences: [] });
  });
});

describe("publishing", () => {
  it("publishes a compatible version, recording who and when", async () => {
    const call = await gateway();
    const before = Date.now();
    const response = await call("POST", "/v1/schemas/person/versions", {
      token: steward,
      body: { version: "1.1.0", document: personAt("1.1.0", withOptionalNickname) },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/v1/schemas/person/versions/1.1.0");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      subject: "person",
      version: "1.1.0",
      publishedBy: "walidata-bps",
      compatibility: { compatible: true, checkedAgainst: ["1.0.0"] },
    });
    expect(Date.parse(String(body.publishedAt))).toBeGreaterThanOrEqual(before - 1000);
    const got = await call("GET", "/v1/schemas/person/versions/1.1.0", { token: reader });
    expect(((await got.json()) as { document: unknown }).document).toEqual(
      personAt("1.1.0", withOptionalNickname),
    );
  });

  it("refuses an incompatible version with 409 and the differences, until the mode allows it", async () => {
    const call = await gateway();
    const publish = () =>
      call("POST", "/v1/schemas/person/versions", {
        token: steward,
        body: { version: "2.0.0", document: personAt("2.0.0", withRequiredNickname) },
      });
    const refused = await problemOf(await publish(), 409, "SCHEMA_INCOMPATIBLE");
    expect(refused.mode).toBe("BACKWARD");
    expect(refused.differences).toContainEqual(
      expect.objectContaining({ pointer: "/properties/nickname", breaking: true }),
    );
    const mode = await call("PUT", "/v1/schemas/person/mode", {
      token: steward,
      body: { mode: "NONE" },
    });
    expect(await mode.json()).toEqual({ subject: "person", mode: "NONE" });
    expect((await publish()).status).toBe(201);
  });

  it("refuses a version that exists or does not come after the latest", async () => {
    const call = await gateway();
    await problemOf(
      await call("POST", "/v1/schemas/person/versions", {
        token: steward,
        body: { version: "1.0.0", document: personAt("1.0.0") },
      }),
      409,
      "SCHEMA_VERSION_EXISTS",
    );
    await problemOf(
      await call("POST", "/v1/schemas/person/versions", {
        token: steward,
        body: { version: "0.9.0", document: personAt("0.9.0") },
      }),
      409,
      "SCHEMA_VERSION_NOT_NEWER",
    );
  });

  it.each([
    [
      "the wrong dialect",
      (doc: Record<string, unknown>) => {
        doc.$schema = "http://json-schema.org/draft-07/schema#";
      },
      "WRONG_DIALECT",
      "/document/$schema",
    ],
    [
      "an external $ref",
      (doc: Record<string, unknown>) => {
        properties(doc).nickname = { $ref: "https://example.org/nickname.json" };
      },
      "EXTERNAL_REF",
      "/document/properties/nickname/$ref",
    ],
    [
      "a $ref to an unregistered version",
      (doc: Record<string, unknown>) => {
        properties(doc).nickname = { $ref: schemaId("nickname", "1.0.0") };
      },
      "EXTERNAL_REF",
      "/document/properties/nickname/$ref",
    ],
    [
      "an $id for another version",
      (doc: Record<string, unknown>) => {
        doc.$id = schemaId("person", "7.0.0");
      },
      "ID_MISMATCH",
      "/document/$id",
    ],
    [
      "a pattern that is not a regular expression",
      (doc: Record<string, unknown>) => {
        properties(doc).nickname = { type: "string", pattern: "([a-z" };
      },
      "INVALID_PATTERN",
      "/document/properties/nickname/pattern",
    ],
  ])("refuses a document with %s as 422 with the reason", async (_name, edit, problem, pointer) => {
    const call = await gateway();
    const body = await problemOf(
      await call("POST", "/v1/schemas/person/versions", {
        token: steward,
        body: { version: "1.1.0", document: personAt("1.1.0", edit) },
      }),
      422,
      "SCHEMA_INVALID",
    );
    expect(body.schemaProblem).toBe(problem);
    expect(body.errors).toEqual([expect.objectContaining({ pointer })]);
    expect(typeof body.detail).toBe("string");
  });

  it("admits a $ref to a registered version's $id", async () => {
    const call = await gateway();
    const document = personAt("1.1.0", (doc) => {
      properties(doc).domicileProvince = { $ref: schemaId("region-province", "1.0.0") };
    });
    const response = await call("POST", "/v1/schemas/person/check", {
      token: reader,
      body: { document },
    });
    expect(response.status, await response.clone().text()).toBe(200);
  });

  it("checks every concurrent publish against the version it actually follows", async () => {
    const call = await gateway();
    const versions = ["1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.6.0"];
    const responses = await Promise.all(
      versions.map((version) =>
        call("POST", "/v1/schemas/person/versions", {
          token: steward,
          body: { version, document: personAt(version, withOptionalNickname) },
        }),
      ),
    );
    const published = await Promise.all(
      responses
        .filter((response) => response.status === 201)
        .map(
          async (response) =>
            (await response.json()) as {
              version: string;
              compatibility: { checkedAgainst: string[] };
            },
        ),
    );
    for (const response of responses) expect([201, 409]).toContain(response.status);
    const list = await call("GET", "/v1/schemas/person/versions", { token: reader });
    const chain = ((await list.json()) as { versions: { version: string }[] }).versions.map(
      (v) => v.version,
    );
    expect(chain.length).toBe(published.length + 1);
    for (const entry of published) {
      const predecessor = chain[chain.indexOf(entry.version) - 1];
      expect(
        entry.compatibility.checkedAgainst,
        `${entry.version} must be judged against ${predecessor}`,
      ).toEqual([predecessor]);
    }
  });
});

describe("modes and deprecation", () => {
  it("sets a mode that later checks apply", async () => {
    const call = await gateway();
    const response = await call("PUT", "/v1/schemas/person/mode", {
      token: steward,
      body: { mode: "FULL" },
    });
    expect(response.status).toBe(200);
    const check = await call("POST", "/v1/schemas/person/check", {
      token: reader,
      body: { document: personAt("1.1.0", withOptionalNickname) },
    });
    // An optional field is BACKWARD-safe but not FORWARD-safe under a closed object.
    expect(await check.json()).toMatchObject({ mode: "FULL", compatible: false });
  });

  it("deprecates a version in favour of a successor that readers then see", async () => {
    const call = await gateway();
    await call("POST", "/v1/schemas/person/versions", {
      token: steward,
      body: { version: "1.1.0", document: personAt("1.1.0", withOptionalNickname) },
    });
    const response = await call("POST", "/v1/schemas/person/versions/1.0.0/deprecate", {
      token: steward,
      body: { successor: "1.1.0" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      version: "1.0.0",
      deprecated: true,
      successor: "1.1.0",
      deprecatedBy: "walidata-bps",
    });
    const got = await call("GET", "/v1/schemas/person/versions/1.0.0", { token: reader });
    expect(await got.json()).toMatchObject({ deprecated: true, successor: "1.1.0" });
    await problemOf(
      await call("POST", "/v1/schemas/person/versions/1.0.0/deprecate", {
        token: steward,
        body: { successor: "3.0.0" },
      }),
      404,
      "SCHEMA_NOT_FOUND",
    );
    await problemOf(
      await call("POST", "/v1/schemas/person/versions/1.0.0/deprecate", {
        token: steward,
        body: { successor: "1.0.0" },
      }),
      400,
      "INVALID_REQUEST",
    );
  });
});

/** Every route with a valid request, for the cross-cutting checks below. */
const ROUTES: {
  name: string;
  method: string;
  path: string;
  body?: () => unknown;
  scope: "read" | "publish";
}[] = [
  { name: "schemas.list", method: "GET", path: "/v1/schemas", scope: "read" },
  { name: "schemas.versions", method: "GET", path: "/v1/schemas/person/versions", scope: "read" },
  { name: "schemas.get", method: "GET", path: "/v1/schemas/person/versions/1.0.0", scope: "read" },
  {
    name: "schemas.check",
    method: "POST",
    path: "/v1/schemas/person/check",
    body: () => ({ document: personAt("1.1.0") }),
    scope: "read",
  },
  {
    name: "schemas.publish",
    method: "POST",
    path: "/v1/schemas/person/versions",
    body: () => ({ version: "1.1.0", document: personAt("1.1.0") }),
    scope: "publish",
  },
  {
    name: "schemas.setMode",
    method: "PUT",
    path: "/v1/schemas/person/mode",
    body: () => ({ mode: "FULL" }),
    scope: "publish",
  },
  {
    name: "schemas.deprecate",
    method: "POST",
    path: "/v1/schemas/person/versions/1.0.0/deprecate",
    body: () => ({ successor: "1.0.0-rc.1" }),
    scope: "publish",
  },
];

describe.each(ROUTES)("$name", (route) => {
  const send = (call: Call, options: { token?: string; path?: string; body?: unknown } = {}) =>
    call(route.method, options.path ?? route.path, {
      ...(options.token ? { token: options.token } : {}),
      ...(route.body || options.body !== undefined ? { body: options.body ?? route.body?.() } : {}),
    });

  it("refuses a caller without a token (401) or without the scope (403)", async () => {
    const call = await gateway();
    const anonymous = await problemOf(await send(call), 401, "UNAUTHENTICATED");
    expect(anonymous.requestId).toBeTruthy();
    await problemOf(await send(call, { token: "not.a-valid.token" }), 401, "INVALID_TOKEN");
    const unscoped = route.scope === "read" ? outsider : reader;
    const refused = await problemOf(
      await send(call, { token: unscoped }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    expect(refused.requiredScope).toBe(`schemas:${route.scope}`);
  });

  it("refuses bad input with a 400 problem naming what is wrong", async () => {
    const call = await gateway();
    const token = route.scope === "read" ? reader : steward;
    if (route.path.includes("/person")) {
      const bad = await problemOf(
        await send(call, { token, path: route.path.replace("/person", "/Person_Record") }),
        400,
        "INVALID_REQUEST",
      );
      expect(bad.errors).toEqual([expect.objectContaining({ pointer: "/subject" })]);
    }
    if (route.path.includes("/1.0.0")) {
      await problemOf(
        await send(call, { token, path: route.path.replace("/1.0.0", "/1.0") }),
        400,
        "INVALID_REQUEST",
      );
    }
    if (route.body) {
      await problemOf(await send(call, { token, body: "{not json" }), 400, "MALFORMED_JSON");
      await problemOf(
        await send(call, { token, body: { ...(route.body() as object), extra: 1 } }),
        400,
        "UNKNOWN_PROPERTY",
      );
      const text = await call(route.method, route.path, {
        token,
        body: JSON.stringify(route.body()),
        headers: { "content-type": "text/plain" },
      });
      await problemOf(text, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
  });

  it("answers 429 with Retry-After once the client's rate plan is used up", async () => {
    const tiny = (client: Client | undefined): Client | undefined =>
      client && { ...client, ratePlan: { perMinute: 2, perDay: 100, batchCostPerNik: 1 } };
    const call = await gateway({
      clients: {
        get: async (id) => tiny(await baseServices.clients.get(id)),
        list: async () => (await baseServices.clients.list()).flatMap((c) => tiny(c) ?? []),
      },
    });
    const token = route.scope === "read" ? reader : steward;
    for (let i = 0; i < 2; i++) expect((await send(call, { token })).status).not.toBe(429);
    const limited = await send(call, { token });
    const body = await problemOf(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(body.retryAfterSeconds).toBeGreaterThan(0);
  });
});
