import { Input } from "@codegouvfr/react-dsfr/Input";
import type { FormErrors } from "../../components/form/useFormErrors";

/** The e-mail an agent signs in with: the same field on the login and the forgotten-password forms. */
export function AccountEmailInput({
  errors,
  value,
  onChange,
  hintText,
}: {
  errors: FormErrors<"email">;
  value: string;
  onChange: (value: string) => void;
  hintText?: string;
}) {
  return (
    <Input
      label="Adresse électronique professionnelle"
      hintText={hintText}
      {...errors.state("email")}
      nativeInputProps={{
        ...errors.native("email"),
        type: "email",
        autoComplete: "username",
        value,
        required: true,
        onChange: (e) => onChange(e.target.value),
      }}
    />
  );
}
