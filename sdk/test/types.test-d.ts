/** Compile-time tests, checked by `tsc -p tsconfig.json`: each `@ts-expect-error` must be an error. */
import { expectTypeOf } from "vitest";
import {
  createSimpulClient,
  type EnrolmentBatchLine,
  type ErrorCode,
  type ProgramCode,
  type Purpose,
  SimpulProblemError,
} from "../src/index.ts";

const credentials = { baseUrl: "http://127.0.0.1:8787", clientId: "x", clientSecret: "y" };
const withPurpose = createSimpulClient({ ...credentials, purpose: "disbursement-validation" });
const withoutPurpose = createSimpulClient(credentials);
const nik = "3273014501900001";

export async function requestsAreTyped(): Promise<void> {
  await withPurpose.identity.lookup({ nik });
  // @ts-expect-error a misspelt request field does not compile
  await withPurpose.identity.lookup({ nikk: nik });
  // @ts-expect-error an extra request field does not compile
  await withPurpose.identity.lookup({ nik, name: "Siti" });
  // @ts-expect-error a NIK is a string, never a number
  await withPurpose.identity.lookup({ nik: 3273014501900001 });
  await withPurpose.enrolments.check({ nik, programs: ["PKH", "BSU"] });
  // @ts-expect-error an unknown program code does not compile
  await withPurpose.enrolments.check({ nik, programs: ["PKH", "BLT"] });
  // @ts-expect-error an unknown program code does not compile in batches either
  withPurpose.enrolments.checkBatch([nik], { programs: ["KIP"] });
  // @ts-expect-error an unknown purpose does not compile
  await withPurpose.identity.lookup({ nik }, { purpose: "curiosity" });
}

export async function responsesAreTyped(): Promise<void> {
  const found = await withPurpose.identity.lookup({ nik });
  expectTypeOf(found.person.fullName).toEqualTypeOf<string | undefined>();
  // @ts-expect-error a property the response does not have does not compile
  found.persons;
  // @ts-expect-error nor does a misspelt person field
  found.person.fullname;
  const check = await withPurpose.enrolments.check({ nik });
  expectTypeOf(check.programs[0]?.program).toEqualTypeOf<ProgramCode | undefined>();
  expectTypeOf(check.complete).toBeBoolean();
  // @ts-expect-error the result has `findings`, not `conflicts`
  check.conflicts;
  for await (const line of withPurpose.enrolments.checkBatch([nik])) {
    expectTypeOf(line).toEqualTypeOf<EnrolmentBatchLine>();
    expectTypeOf(line.index).toBeNumber();
    expectTypeOf(line.nik).toBeString();
    if ("result" in line) expectTypeOf(line.result.findings).toBeArray();
    else expectTypeOf(line.error.code).toBeString();
  }
}

export async function purposeIsRequiredWithoutADefault(): Promise<void> {
  // @ts-expect-error no default purpose: a personal-data call without one does not compile
  await withoutPurpose.identity.lookup({ nik });
  // @ts-expect-error options without a purpose do not compile either
  await withoutPurpose.enrolments.check({ nik }, { caseId: "KASUS-1" });
  // @ts-expect-error nor does a batch without one
  withoutPurpose.enrolments.checkBatch([nik]);
  await withoutPurpose.identity.lookup({ nik }, { purpose: "eligibility-verification" });
  withoutPurpose.enrolments.checkBatch([nik], { purpose: "data-reconciliation", chunkSize: 500 });
  // Reading catalogues processes no personal data, so it needs no purpose.
  await withoutPurpose.programs.list();
  // With a default purpose, options are optional and may override it.
  await withPurpose.enrolments.check({ nik });
  await withPurpose.enrolments.check({ nik }, { purpose: "complaint-handling" });
}

export function errorCodesComeFromTheGateway(error: unknown): void {
  expectTypeOf<ErrorCode>().toEqualTypeOf<SimpulProblemError["code"]>();
  expectTypeOf<"NIK_WRONG_LENGTH">().toExtend<ErrorCode>();
  expectTypeOf<Purpose>().toEqualTypeOf<
    | "eligibility-verification"
    | "disbursement-validation"
    | "identity-verification"
    | "data-reconciliation"
    | "complaint-handling"
    | "oversight"
  >();
  if (error instanceof SimpulProblemError) {
    // @ts-expect-error a code the gateway never sends does not compile
    if (error.code === "NIK_TOO_SHORT") return;
    expectTypeOf(error.retryAfterSeconds).toEqualTypeOf<number | undefined>();
  }
}

export async function newerOperationsAreTyped(): Promise<void> {
  // The gateway defaults `threshold`, so it may be left out.
  const verified = await withPurpose.identity.verify({ nik, fullName: "SITI AMINAH" });
  expectTypeOf(verified.verdicts.fullName).toEqualTypeOf<
    { match: boolean; score: number } | undefined
  >();
  // @ts-expect-error an element the gateway cannot verify does not compile
  await withPurpose.identity.verify({ nik, phone: "0812" });
  await withoutPurpose.schemas.get({ subject: "person", version: "1.0.0" });
  // @ts-expect-error a misnamed path parameter does not compile
  await withoutPurpose.schemas.get({ subject: "person", versio: "1.0.0" });
  // @ts-expect-error an unknown compatibility mode does not compile
  await withoutPurpose.schemas.setMode({ subject: "person" }, { mode: "LENIENT" });
  // @ts-expect-error reading the audit trail states a purpose too
  await withoutPurpose.audit.subject({ nik });
  await withoutPurpose.audit.subject({ nik }, { purpose: "oversight" });
  for await (const entry of withPurpose.audit.export({ clientId: "dinsos-bandung" })) {
    expectTypeOf(entry.sequence).toBeNumber();
  }
}

export function credentialsAreChecked(): void {
  // @ts-expect-error a client secret and a private key are mutually exclusive
  createSimpulClient({ ...credentials, privateKey: {} as CryptoKey });
  // @ts-expect-error credentials are required
  createSimpulClient({ baseUrl: "http://127.0.0.1:8787", clientId: "x" });
}
