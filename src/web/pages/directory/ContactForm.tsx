import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { type FormEvent, type ReactNode, useState } from "react";
import { directoryRoutes } from "../../../common/directory/directory.routes";
import {
  type DirectoryContact,
  directoryContactBodySchema,
} from "../../../common/directory/directory.schema";
import { call } from "../../api/client";
import { useRecordId } from "../../api/requestId";
import { useMutation } from "../../api/useMutation";
import { formatDate } from "../../components/dates";
import { useFormErrors } from "../../components/form/useFormErrors";

const labels = {
  name: "Prénom et nom",
  function: "Fonction",
  email: "Adresse électronique professionnelle",
  phone: "Téléphone professionnel",
} as const;

/** Adds a named contact to an organisation, or edits one (direction): professional data only. */
export function ContactForm({
  entryId,
  contact,
  onSaved,
}: {
  entryId: string;
  contact?: DirectoryContact;
  onSaved: () => void;
}): ReactNode {
  const empty = { name: "", function: "", email: "", phone: "", newsletterSubscribed: false };
  const [form, setForm] = useState(contact ? { ...contact } : empty);
  const errors = useFormErrors(`directory-contact-${contact?.id ?? "new"}`, labels);
  const body = () => ({
    name: form.name,
    function: form.function,
    email: form.email,
    phone: form.phone,
    newsletterSubscribed: form.newsletterSubscribed,
  });
  // A new contact's id, kept until it is saved: sending again after a lost answer is safe (ADR 0036).
  const record = useRecordId(["directory"]);
  const save = useMutation({
    mutationFn: () =>
      contact
        ? call(directoryRoutes.updateContact, { params: { contactId: contact.id }, body: body() })
        : call(directoryRoutes.addContact, { params: { entryId }, body: { ...body(), id: record.id } }),
    onSuccess: () => {
      if (!contact) setForm(empty);
      record.saved();
      onSaved();
    },
    onError: async (error) => {
      errors.showApiError(error);
      await record.failed(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(directoryContactBodySchema, body())) save.mutate();
  };
  const field = (key: keyof typeof labels, type: string, hintText?: string) => (
    <div className="fr-col-12 fr-col-md-6">
      <Input
        label={labels[key]}
        hintText={hintText}
        {...errors.state(key)}
        nativeInputProps={{
          ...errors.native(key),
          type,
          autoComplete: "off",
          value: form[key],
          onChange: (e) => setForm((f) => ({ ...f, [key]: e.target.value })),
        }}
      />
    </div>
  );
  return (
    <form onSubmit={submit} noValidate aria-label={contact ? `Modifier ${contact.name}` : "Nouveau contact"}>
      {errors.summary}
      <div className="fr-grid-row fr-grid-row--gutters">
        {field("name", "text")}
        {field("function", "text")}
        {field(
          "email",
          "email",
          contact?.emailBouncedAt
            ? `Refusée par le serveur de messagerie le ${formatDate(contact.emailBouncedAt)} : corrigez-la pour reprendre les envois.`
            : undefined,
        )}
        {field("phone", "tel")}
      </div>
      <Checkbox
        options={[
          {
            label: "Abonné à la lettre d'information",
            hintText: "Seulement si le contact l'a demandé ; il peut se désabonner à tout moment.",
            nativeInputProps: {
              checked: form.newsletterSubscribed,
              onChange: (e) => setForm((f) => ({ ...f, newsletterSubscribed: e.target.checked })),
            },
          },
        ]}
      />
      <Button type="submit" disabled={save.isPending}>
        {contact ? "Enregistrer le contact" : "Ajouter le contact"}
      </Button>
    </form>
  );
}
