import { describe, expect, it } from "vitest";
import "../../../common/zod-fr";
import { contactsEditSchema } from "../../../common/people/personEdit.schema";
import {
  isNewValidPhone,
  type Key,
  labels,
  phoneForInput,
  removesEveryContact,
  seenAfterConflict,
} from "./editPersonForm";

const emptyForm = Object.fromEntries(Object.keys(labels).map((key) => [key, ""])) as Record<Key, string>;
const file = {
  phone: "+33612345678",
  email: "ferdinand@exemple.fr",
  address: "2 rue Neuve",
  domiciliation: "",
};

describe("correcting a file's contacts", () => {
  it("says a bad e-mail and a bad phone at once, before anything is asked or sent", () => {
    const result = contactsEditSchema.safeParse({
      phone: "+33 6 12",
      email: "ferdinand@@x",
      address: "",
      domiciliation: "",
      preferredLanguage: "français",
      readsFrench: "",
    });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["phone", "email"]);
  });

  it("asks about SMS only for another, real number", () => {
    expect(isNewValidPhone(file.phone, "+33 6 12")).toBe(false);
    expect(isNewValidPhone(file.phone, "06 12 34 56 78")).toBe(false);
    expect(isNewValidPhone(file.phone, "")).toBe(false);
    expect(isNewValidPhone(file.phone, "07 00 00 00 12")).toBe(true);
  });

  it("asks for a confirmation when no way to reach the person is left", () => {
    expect(removesEveryContact(file, emptyForm)).toBe(true);
    expect(removesEveryContact(file, { ...emptyForm, "contacts.address": "3 rue Haute" })).toBe(false);
    expect(removesEveryContact(file, { ...emptyForm, "contacts.domiciliation": "CCAS de Meaux" })).toBe(
      false,
    );
    expect(removesEveryContact({ phone: "", email: "", address: "", domiciliation: "" }, emptyForm)).toBe(
      false,
    );
  });
});

describe("saving again after a correction made meanwhile (409)", () => {
  it("sees the named fields as now saved, and only them", () => {
    const shown = {
      contacts: { address: "", domiciliation: "", phone: "06 12 34 56 78" },
      identity: { birthPlace: "Melun" },
    };
    const fresh = {
      contacts: { address: "12 rue des Lilas", domiciliation: "CCAS de Melun", phone: "06 12 34 56 78" },
      identity: { birthPlace: "Melun" },
    };
    const next = seenAfterConflict(shown, fresh, [{ path: "body.contacts.address" }]);
    expect(next.contacts).toEqual({
      address: "12 rue des Lilas",
      domiciliation: "",
      phone: "06 12 34 56 78",
    });
    expect(next.identity).toEqual({ birthPlace: "Melun" });
    // The form's snapshot is not changed in place.
    expect(shown.contacts.address).toBe("");
  });
});

describe("the phone in the edit field", () => {
  it("is written by the shared formatter, with spaces one can type over, and unchanged until edited", () => {
    expect(phoneForInput("+33612345678")).toBe("06 12 34 56 78");
    expect(phoneForInput("+442079460958")).toBe("+44 20 7946 0958");
    expect(isNewValidPhone("+442079460958", phoneForInput("+442079460958"))).toBe(false);
    expect(isNewValidPhone("+33612345678", phoneForInput("+33612345678"))).toBe(false);
  });

  it("is empty, not a dash, when the file has no phone", () => {
    expect(phoneForInput("")).toBe("");
  });
});
