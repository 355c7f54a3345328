/** The SDK against the real gateway and its simulators, in-process and over HTTP. */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createSimpulClient,
  type EnrolmentBatchLine,
  type FetchLike,
  type Purpose,
  type RetryOptions,
  SimpulProblemError,
} from "../sdk/src/index.ts";
import { devClient } from "./support/dev-clients.ts";
import { type GatewayTarget, inProcessTarget, overHttpTarget } from "./support/target.ts";

const IN_PROCESS_ORIGIN = "http://simpul.test";

/** A `fetch` that reaches the target and counts requests per path. */
function targetFetch(target: GatewayTarget, seen: string[]): FetchLike {
  return (input, init) => {
    const url = new URL(input);
    seen.push(url.pathname);
    return target.baseUrl ? fetch(input, init) : target.fetch(`${url.pathname}${url.search}`, init);
  };
}

function sdkFor(
  target: GatewayTarget,
  clientId: string,
  purpose: Purpose,
  options: { seen?: string[]; retries?: RetryOptions; fetch?: FetchLike } = {},
) {
  return createSimpulClient({
    baseUrl: target.baseUrl ?? IN_PROCESS_ORIGIN,
    clientId,
    clientSecret: devClient(clientId).secret,
    purpose,
    fetch: options.fetch ?? targetFetch(target, options.seen ?? []),
    ...(options.retries ? { retries: options.retries } : {}),
  });
}

const targets: [string, () => Promise<GatewayTarget>][] = [
  ["in-process", inProcessTarget],
  // Short-lived tokens so that refreshing can be seen; 30 s is the gateway's minimum.
  ["over HTTP", () => overHttpTarget({ SIMPUL_TOKEN_TTL_SECONDS: "30" })],
];

describe.each(targets)("SDK against the gateway %s", (name, start) => {
  let target: GatewayTarget;
  beforeAll(async () => {
    target = await start();
  });
  afterAll(async () => {
    await target?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gets a token once, reuses it, and looks a NIK up", async () => {
    const seen: string[] = [];
    const simpul = sdkFor(target, "kemensos-app", "eligibility-verification", { seen });
    const [nik] = target.world.examples("CLEAN", 1);
    if (nik === undefined) throw new Error("the world has no clean NIK");
    const [first, second] = await Promise.all([
      simpul.identity.lookup({ nik }),
      simpul.identity.lookup({ nik }, { endUserId: "petugas-1", caseId: "KASUS-7" }),
    ]);
    expect(first.person.nik).toBe(nik);
    expect(second.person.fullName).toBe(first.person.fullName);
    expect(first.source.id).toBe("dukcapil");
    expect(
      seen.filter((path) => path === "/oauth/token"),
      "one token for both calls",
    ).toHaveLength(1);
  });

  // Only this process's clock moves; the gateway in its own process keeps real time.
  it.skipIf(name !== "over HTTP")("refreshes a 30 s token half-way through its life", async () => {
    const seen: string[] = [];
    const simpul = sdkFor(target, "kemensos-app", "eligibility-verification", { seen });
    await simpul.programs.list();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 16_000 });
    await simpul.programs.list();
    expect(seen.filter((path) => path === "/oauth/token")).toEqual([
      "/oauth/token",
      "/oauth/token",
    ]);
  });

  it("throws a validation problem as SimpulProblemError with code NIK_WRONG_LENGTH", async () => {
    const simpul = sdkFor(target, "kemensos-app", "eligibility-verification");
    const failure = await simpul.identity
      .lookup({ nik: "327301450190001" }, { requestId: "sdk-e2e-wrong-length" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SimpulProblemError);
    const problem = failure as SimpulProblemError;
    expect(problem.code).toBe("NIK_WRONG_LENGTH");
    expect(problem.status).toBe(422);
    expect(problem.requestId, "the gateway keeps the SDK's request id").toBe(
      "sdk-e2e-wrong-length",
    );
    expect(problem.errors[0]?.pointer).toBe("/nik");
  });

  it("surfaces PURPOSE_NOT_ALLOWED for a purpose the client may not use", async () => {
    const simpul = sdkFor(target, "dinsos-bandung", "oversight");
    const [nik] = target.world.examples("CLEAN", 1);
    await expect(simpul.identity.lookup({ nik: nik ?? "" })).rejects.toMatchObject({
      code: "PURPOSE_NOT_ALLOWED",
      status: 403,
    });
  });

  it("surfaces RATE_LIMITED promptly when Retry-After is beyond what it may wait", async () => {
    const simpul = sdkFor(target, "demo-trial", "identity-verification", {
      retries: { maxRetries: 2, maxDelayMs: 500 },
    });
    const [nik] = target.world.examples("CLEAN", 1);
    let limited: SimpulProblemError | undefined;
    // demo-trial may make 3 lookups a minute; a window boundary may reset it once, hence 8.
    for (let call = 0; call < 8 && limited === undefined; call++) {
      const started = Date.now();
      try {
        await simpul.identity.lookup({ nik: nik ?? "" });
      } catch (error) {
        if (!(error instanceof SimpulProblemError)) throw error;
        limited = error;
        expect(Date.now() - started, "a refusal is reported, not waited out").toBeLessThan(3_000);
      }
    }
    expect(limited?.code).toBe("RATE_LIMITED");
    expect(limited?.status).toBe(429);
    expect(limited?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited?.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("streams a batch across chunk boundaries with global indices", async () => {
    const seen: string[] = [];
    const simpul = sdkFor(target, "kemensos-app", "data-reconciliation", { seen });
    const { world } = target;
    const niks = [
      ...world.examples("CLEAN", 6),
      ...world.examples("EXCLUSIVE_CONFLICT", 4),
      "327301450190001",
      ...world.examples("DECEASED_ACTIVE", 3),
      ...world.examples("NOT_IN_CIVIL_REGISTRY", 3),
      "３２７３０１４５０１９０００１",
      ...world.examples("CLEAN", 10).slice(6),
    ];
    async function* fromCsv() {
      for (const nik of niks) yield nik;
    }
    const lines: EnrolmentBatchLine[] = [];
    for await (const line of simpul.enrolments.checkBatch(fromCsv(), { chunkSize: 7 })) {
      lines.push(line);
    }
    expect(seen.filter((path) => path === "/v1/enrolments/check-batch")).toHaveLength(
      Math.ceil(niks.length / 7),
    );
    expect(lines.map((line) => line.index)).toEqual(niks.map((_, index) => index));
    for (const line of lines) {
      expect(line.nik, `line ${line.index} belongs to its input`).toBe(niks[line.index]);
    }
    const byNik = new Map(lines.map((line) => [line.nik, line]));
    const findingsOf = (nik: string | undefined) => {
      const line = byNik.get(nik ?? "");
      return line && "result" in line ? line.result.findings.map((finding) => finding.type) : [];
    };
    for (const nik of world.examples("EXCLUSIVE_CONFLICT", 4)) {
      expect(findingsOf(nik), `conflict for input ${niks.indexOf(nik)}`).toContain("RULE_CONFLICT");
    }
    for (const nik of world.examples("DECEASED_ACTIVE", 3)) {
      expect(findingsOf(nik)).toContain("DECEASED_BUT_ACTIVE");
    }
    for (const nik of world.examples("NOT_IN_CIVIL_REGISTRY", 3)) {
      expect(findingsOf(nik)).toContain("NOT_IN_CIVIL_REGISTRY");
    }
    const invalid = lines.filter((line) => "error" in line);
    expect(invalid.map((line) => ("error" in line ? line.error.code : ""))).toEqual([
      "NIK_WRONG_LENGTH",
      "NIK_NOT_ASCII_DIGITS",
    ]);
  });

  it("verifies identity elements without revealing the record", async () => {
    const simpul = sdkFor(target, "bank-penyalur", "identity-verification");
    const [nik = ""] = target.world.examples("CLEAN", 1);
    const person = target.world.person(target.world.indexOf(nik));
    const { verdicts, threshold } = await simpul.identity.verify({
      nik,
      fullName: person.fullName,
      sex: person.sex === "MALE" ? "FEMALE" : "MALE",
    });
    expect(threshold).toBe(90);
    expect(verdicts.fullName).toEqual({ match: true, score: 100 });
    expect(verdicts.sex?.match).toBe(false);
    expect(verdicts.birthDate, "only the supplied elements are judged").toBeUndefined();
  });

  it("lets oversight find who read a person's data, and verify the trail", async () => {
    const [nik = ""] = target.world.examples("CLEAN", 3).slice(2);
    const reader = sdkFor(target, "kemensos-app", "complaint-handling");
    await reader.identity.lookup({ nik });
    const oversight = sdkFor(target, "inspektorat", "oversight");
    const { entries } = await oversight.audit.subject({ nik });
    expect(entries.map((entry) => [entry.route, entry.clientId, entry.purpose])).toContainEqual([
      "identity.lookup",
      "kemensos-app",
      "complaint-handling",
    ]);
    const verification = await oversight.audit.verify({});
    expect(verification.ok, `audit chain: ${verification.reason}`).toBe(true);
    const sequences: number[] = [];
    for await (const entry of oversight.audit.export({})) sequences.push(entry.sequence);
    expect(sequences.length).toBeGreaterThan(0);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it("reads the schema registry", async () => {
    const steward = sdkFor(target, "walidata-bps", "oversight");
    const { subjects } = await steward.schemas.list();
    const [first] = subjects;
    if (first === undefined) throw new Error("the registry has no subject");
    const version = await steward.schemas.get({
      subject: first.subject,
      version: first.latestVersion,
    });
    expect(version.id).toBe(`urn:simpul:schema:${first.subject}:${first.latestVersion}`);
    const report = await steward.schemas.check(
      { subject: first.subject },
      { document: version.document },
    );
    expect(report.compatible, "a version is compatible with itself").toBe(true);
    await expect(
      steward.schemas.get({ subject: "no-such-subject", version: "1.0.0" }),
    ).rejects.toMatchObject({ code: "SCHEMA_NOT_FOUND", status: 404 });
  });

  it("reads the catalogues", async () => {
    const simpul = sdkFor(target, "kemensos-app", "eligibility-verification");
    const rules = await simpul.programs.list();
    expect(rules.programs.map((program) => program.code)).toContain("BSU");
    const { sources } = await simpul.sources.list();
    expect(sources.map((source) => source.id).sort()).toEqual([
      "dukcapil",
      "kemenkopukm",
      "kemensos",
      "kemnaker",
    ]);
  });
});

describe("SDK tokens when the gateway changes its signing key", () => {
  it("gets a new token once when the gateway refuses the cached one (new signing key)", async () => {
    const before = await inProcessTarget();
    const after = await inProcessTarget();
    try {
      let current = before;
      const seen: string[] = [];
      const simpul = sdkFor(before, "kemensos-app", "eligibility-verification", {
        fetch: (input, init) => targetFetch(current, seen)(input, init),
      });
      await simpul.programs.list();
      // The gateway restarts with a new signing key: the cached token no longer verifies.
      current = after;
      const rules = await simpul.programs.list();
      expect(rules.version).toBeTruthy();
      expect(seen).toEqual([
        "/oauth/token",
        "/v1/programs",
        "/v1/programs",
        "/oauth/token",
        "/v1/programs",
      ]);
    } finally {
      await before.close();
      await after.close();
    }
  });
});

describe("SDK with private_key_jwt against the real gateway", () => {
  it("gets tokens with a signed client assertion instead of a secret", async () => {
    const { privateKey, publicKey } = (await crypto.subtle.generateKey(
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const publicJwk = { ...(await crypto.subtle.exportKey("jwk", publicKey)), kid: "sdk-e2e" };
    const devClients = JSON.parse(
      readFileSync(new URL("../gateway/config/dev-clients.json", import.meta.url), "utf8"),
    );
    const clientFile = join(tmpdir(), `simpul-sdk-e2e-clients-${process.pid}.json`);
    writeFileSync(
      clientFile,
      JSON.stringify({
        clients: [
          ...devClients.clients,
          {
            id: "partner-pkjwt",
            name: "Partner app with a registered key",
            jwks: { keys: [publicJwk] },
            scopes: ["programs:read", "sources:read"],
            purposes: [],
            fields: [],
            ratePlan: { perMinute: 600, perDay: 10_000 },
          },
        ],
      }),
    );
    const target = await overHttpTarget({ SIMPUL_CLIENTS_FILE: clientFile });
    try {
      const seen: string[] = [];
      const simpul = createSimpulClient({
        baseUrl: target.baseUrl ?? "",
        clientId: "partner-pkjwt",
        privateKey,
        keyId: "sdk-e2e",
        fetch: targetFetch(target, seen),
      });
      const rules = await simpul.programs.list();
      expect(rules.programs.length).toBeGreaterThan(0);
      await simpul.sources.list();
      expect(seen.filter((path) => path === "/oauth/token")).toHaveLength(1);
      const impostor = createSimpulClient({
        baseUrl: target.baseUrl ?? "",
        clientId: "partner-pkjwt",
        privateKey: (
          (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
            "sign",
            "verify",
          ])) as CryptoKeyPair
        ).privateKey,
      });
      await expect(impostor.programs.list()).rejects.toMatchObject({
        code: "INVALID_CLIENT",
        status: 401,
      });
    } finally {
      await target.close();
      rmSync(clientFile, { force: true });
    }
  });
});
