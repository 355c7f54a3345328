/** The canonical household: one family card (Kartu Keluarga, KK) and the people it lists. */
import { z } from "@hono/zod-openapi";
import { Address, FAMILY_RELATIONSHIPS, SEXES } from "./person.ts";

export const HouseholdMember = z
  .object({
    nik: z.string().regex(/^\d{16}$/),
    fullName: z.string(),
    sex: z.enum(SEXES),
    birthDate: z.iso.date(),
    familyRelationship: z.enum(FAMILY_RELATIONSHIPS),
    lifeStatus: z.enum(["ALIVE", "DECEASED"]),
  })
  .strict()
  .openapi("HouseholdMember");

export const Household = z
  .object({
    familyCardNumber: z.string().regex(/^\d{16}$/),
    headNik: z.string().regex(/^\d{16}$/),
    address: Address,
    members: z.array(HouseholdMember).min(1),
  })
  .strict()
  .openapi("Household", {
    description: "A family card (KK) as recorded by Dukcapil: its head, address and members.",
  });
export type Household = z.infer<typeof Household>;
