import { describe, expect, it } from "vitest";
import { emailMessage } from "../fields";
import { loginBodySchema, loginFormSchema } from "./auth.schema";

const password = "Passerelle77-demo";

function emailIssues(email: string): string[] {
  const result = loginFormSchema.safeParse({ email, password });
  if (result.success) return [];
  return result.error.issues.filter((issue) => issue.path[0] === "email").map((issue) => issue.message);
}

describe("login form e-mail check", () => {
  it.each(["jean@", "abc", "@domaine.fr", "jean@domaine", "jean dupont@domaine.fr"])(
    "flags %j under the field, in French",
    (email) => {
      expect(emailIssues(email)).toEqual([emailMessage]);
    },
  );

  it("asks for an address when the field is empty", () => {
    expect(emailIssues("  ")).toEqual(["Saisissez votre adresse électronique."]);
  });

  it("accepts a well-formed address, spaces around it trimmed", () => {
    expect(emailIssues(" jean.dupont@justice.fr ")).toEqual([]);
  });

  it("leaves the server's body schema as loose as before", () => {
    expect(loginBodySchema.safeParse({ email: "jean@", password }).success).toBe(true);
  });
});
