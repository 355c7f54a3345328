import { describe, expect, it } from "vitest";
import { isValidNik, maskNik, parseNik } from "./validate.ts";

const VALID_FEMALE = "3171014501900001"; // DKI Jakarta, born 05-01-90, woman
const VALID_MALE = "3273010101850003";

describe("parseNik", () => {
  it("parses region, sex and birth date of a valid NIK", () => {
    const result = parseNik(VALID_FEMALE);
    expect(result.ok, "a valid NIK must parse").toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      provinceCode: "31",
      regencyCode: "3171",
      districtCode: "317101",
      sex: "FEMALE",
      birthDay: 5,
      birthMonth: 1,
      birthYearTwoDigits: 90,
      serial: "0001",
    });
    expect(parseNik(VALID_MALE).ok && parseNik(VALID_MALE)).toMatchObject({
      value: { sex: "MALE" },
    });
  });

  it.each([
    [3171014501900001, "NIK_NOT_STRING"],
    [null, "NIK_NOT_STRING"],
    ["317101450190000", "NIK_WRONG_LENGTH"],
    ["31710145019000011", "NIK_WRONG_LENGTH"],
    ["", "NIK_WRONG_LENGTH"],
    ["3171O14501900001", "NIK_NOT_ASCII_DIGITS"],
    [" 3171014501900001", "NIK_NOT_ASCII_DIGITS"],
    ["3171 014501900001", "NIK_NOT_ASCII_DIGITS"],
    ["３１７１０１４５０１９００００１", "NIK_NOT_ASCII_DIGITS"],
    ["٣١٧١٠١٤٥٠١٩٠٠٠٠١", "NIK_NOT_ASCII_DIGITS"],
    ["0071014501900001", "NIK_UNKNOWN_PROVINCE"],
    ["9971014501900001", "NIK_UNKNOWN_PROVINCE"],
    ["3171013201900001", "NIK_INVALID_BIRTH_DATE"], // day 32
    ["3171010001900001", "NIK_INVALID_BIRTH_DATE"], // day 0
    ["3171017201900001", "NIK_INVALID_BIRTH_DATE"], // woman, day 32
    ["3171013002900001", "NIK_INVALID_BIRTH_DATE"], // 30 February
    ["3171010513900001", "NIK_INVALID_BIRTH_DATE"], // month 13
    ["3171014500900001", "NIK_INVALID_BIRTH_DATE"], // month 0
    ["3171014501900000", "NIK_INVALID_SERIAL"],
  ])("refuses %j with %s", (input, code) => {
    const result = parseNik(input);
    expect(result.ok, `${JSON.stringify(input)} must be refused`).toBe(false);
    if (!result.ok) expect(result.problem.code).toBe(code);
  });

  it("accepts 29 February because the century is not encoded", () => {
    expect(isValidNik("3171012902000001")).toBe(true);
  });
});

describe("maskNik", () => {
  it("keeps the issuing district and last two digits only", () => {
    expect(maskNik(VALID_FEMALE)).toBe("317101********01");
    expect(maskNik(VALID_FEMALE)).not.toContain("450190");
  });
});
