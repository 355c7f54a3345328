/** What the adapters produce is valid under the canonical schemas the registry publishes. */
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { SourceEnrolments } from "../adapters/core/enrolment-source.ts";
import { mapDukcapilRecord } from "../adapters/dukcapil/mapping.ts";
import { dukcapilRecord } from "../adapters/dukcapil/simulator.ts";
import { mapBpumRecords } from "../adapters/kemenkopukm/mapping.ts";
import { bpumRecords } from "../adapters/kemenkopukm/simulator.ts";
import { mapDtksRows } from "../adapters/kemensos/mapping.ts";
import { dtksRow } from "../adapters/kemensos/simulator.ts";
import { mapKemnakerRecipient } from "../adapters/kemnaker/mapping.ts";
import { kemnakerRecipient } from "../adapters/kemnaker/simulator.ts";
import { generateWorld, type World } from "../adapters/world/index.ts";
import type { Person } from "../schemas/src/person.ts";
import { TEST_WORLD } from "./support/target.ts";

const SAMPLE = 600;
const ajv = new Ajv2020({ allErrors: true, strict: false });
// Ajv needs formats only for `format`; the canonical documents also carry a pattern for each.
ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/);

function compiled(subject: string): ValidateFunction {
  const document = JSON.parse(
    readFileSync(new URL(`../schemas/${subject}.schema.json`, import.meta.url), "utf8"),
  );
  return ajv.getSchema(document.$id) ?? ajv.compile(document);
}

/** Fails with every reason the value is invalid, not only that it is. */
function expectValid(validate: ValidateFunction, value: unknown, what: string): void {
  const valid = validate(value);
  expect(valid, `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

let world: World;
let people: { index: number; person: Person }[];

beforeAll(() => {
  world = generateWorld(TEST_WORLD);
  people = [];
  for (let index = 0; index < Math.min(SAMPLE, world.recordCount); index++) {
    const record = dukcapilRecord(world, index);
    const mapped = mapDukcapilRecord(record, { deceased: record.TGL_MATI !== undefined });
    if (mapped.ok) people.push({ index, person: mapped.value });
  }
});

describe("Dukcapil → person", () => {
  it("maps nearly every simulated record", () => {
    expect(people.length).toBeGreaterThan(SAMPLE * 0.95);
  });

  it("validates against schemas/person.schema.json", () => {
    const validate = compiled("person");
    for (const { index, person } of people) expectValid(validate, person, `person ${index}`);
  });

  it("uses only codes from the reference code lists", () => {
    const lists = {
      sex: compiled("dukcapil-sex"),
      religion: compiled("dukcapil-religion"),
      maritalStatus: compiled("dukcapil-marital-status"),
      familyRelationship: compiled("dukcapil-family-relationship"),
      education: compiled("dukcapil-education"),
      occupation: compiled("dukcapil-occupation"),
    } as const;
    const province = compiled("region-province");
    const regency = compiled("region-regency");
    const district = compiled("region-district");
    for (const { index, person } of people) {
      for (const [field, validate] of Object.entries(lists)) {
        expectValid(validate, person[field as keyof typeof lists], `person ${index} ${field}`);
      }
      expectValid(province, person.address.province.code, `person ${index} province`);
      expectValid(regency, person.address.regency.code, `person ${index} regency`);
      expectValid(district, person.address.district.code, `person ${index} district`);
    }
  });

  it("assembles households that validate against schemas/household.schema.json", () => {
    const validate = compiled("household");
    const byCard = new Map<string, Person[]>();
    for (const { person } of people) {
      byCard.set(person.familyCardNumber, [...(byCard.get(person.familyCardNumber) ?? []), person]);
    }
    let checked = 0;
    for (const [familyCardNumber, members] of byCard) {
      const head = members.find((member) => member.familyRelationship === "KEPALA_KELUARGA");
      if (head === undefined) continue;
      checked++;
      expectValid(
        validate,
        {
          familyCardNumber,
          headNik: head.nik,
          address: head.address,
          members: members.map(
            ({ nik, fullName, sex, birthDate, familyRelationship, lifeStatus }) => ({
              nik,
              fullName,
              sex,
              birthDate,
              familyRelationship,
              lifeStatus,
            }),
          ),
        },
        `household ${familyCardNumber}`,
      );
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe("program sources → program-enrolment", () => {
  const retrievedAt = new Date("2024-12-01T03:00:00Z");

  it.each([
    [
      "Kemensos DTKS",
      (w: World, i: number) =>
        mapDtksRows(
          [dtksRow(w, i)].flatMap((r) => r ?? []),
          retrievedAt,
        ),
    ],
    [
      "Kemnaker",
      (w: World, i: number) => mapKemnakerRecipient(kemnakerRecipient(w, i), retrievedAt),
    ],
    ["KemenkopUKM BPUM", (w: World, i: number) => mapBpumRecords(bpumRecords(w, i), retrievedAt)],
  ] as const)("%s enrolments validate against the canonical schema", (_source, map) => {
    const validate = compiled("program-enrolment");
    const code = compiled("program-code");
    let enrolled = 0;
    for (let index = 0; index < Math.min(SAMPLE, world.recordCount); index++) {
      const answer: SourceEnrolments = map(world, index);
      for (const enrolment of answer.enrolments) {
        expectValid(validate, enrolment, `${enrolment.program} of person ${index}`);
        expectValid(code, enrolment.program, `program code of person ${index}`);
        if (enrolment.enrolled) enrolled++;
      }
    }
    expect(enrolled, "the sample must hold some enrolled people").toBeGreaterThan(0);
  });
});
