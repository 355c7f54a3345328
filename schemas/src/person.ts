/** The canonical person: what Simpul says about someone in the civil registry, whatever the source. */
import { z } from "@hono/zod-openapi";

export const SEXES = ["MALE", "FEMALE"] as const;
export const RELIGIONS = [
  "ISLAM",
  "KRISTEN",
  "KATOLIK",
  "HINDU",
  "BUDDHA",
  "KONGHUCU",
  "KEPERCAYAAN",
] as const;
export const MARITAL_STATUSES = ["BELUM_KAWIN", "KAWIN", "CERAI_HIDUP", "CERAI_MATI"] as const;
export const FAMILY_RELATIONSHIPS = [
  "KEPALA_KELUARGA",
  "SUAMI",
  "ISTRI",
  "ANAK",
  "MENANTU",
  "CUCU",
  "ORANG_TUA",
  "MERTUA",
  "FAMILI_LAIN",
  "PEMBANTU",
  "LAINNYA",
] as const;

const Region = z
  .object({
    code: z.string().regex(/^\d{2}(\d{2}(\d{2}(\d{4})?)?)?$/),
    name: z.string(),
  })
  .strict();

export const Address = z
  .object({
    street: z.string(),
    rt: z.string().regex(/^\d{3}$/),
    rw: z.string().regex(/^\d{3}$/),
    village: Region,
    district: Region,
    regency: Region,
    province: Region,
  })
  .strict()
  .openapi("Address", { description: "Current domicile as registered in Dukcapil." });

export const Person = z
  .object({
    nik: z.string().regex(/^\d{16}$/),
    familyCardNumber: z.string().regex(/^\d{16}$/),
    fullName: z.string(),
    birthPlace: z.string(),
    birthDate: z.iso.date(),
    sex: z.enum(SEXES),
    religion: z.enum(RELIGIONS),
    maritalStatus: z.enum(MARITAL_STATUSES),
    familyRelationship: z.enum(FAMILY_RELATIONSHIPS),
    education: z.string(),
    occupation: z.string(),
    motherName: z.string(),
    address: Address,
    lifeStatus: z.enum(["ALIVE", "DECEASED"]),
  })
  .strict()
  .openapi("Person", { description: "A person as recorded by the civil registry (Dukcapil)." });

export type Person = z.infer<typeof Person>;
export type PersonField = keyof Person;
export const PERSON_FIELDS = Object.keys(Person.shape) as PersonField[];
