/** The NIK as it appears in request bodies: one schema, so docs, validation and SDK agree. */
import { z } from "@hono/zod-openapi";
import { parseNik } from "../../../sdk/src/nik/validate.ts";
import { NIK_NOT_STRING_MESSAGE } from "../errors/handler.ts";

export const NikSchema = z
  .string({
    error: (issue) => (issue.input === undefined ? "nik is required." : NIK_NOT_STRING_MESSAGE),
  })
  .superRefine((value, ctx) => {
    const result = parseNik(value);
    if (!result.ok) {
      ctx.addIssue({
        code: "custom",
        message: result.problem.message,
        params: { problem: result.problem.code },
      });
    }
  })
  .openapi({
    description:
      "Nomor Induk Kependudukan: exactly 16 ASCII digits (PP KK CC DD MM YY SSSS). Never normalised: spaces, other digit forms and JSON numbers are refused.",
    pattern: "^[0-9]{16}$",
    example: "3273014501900001",
  });
