import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { partnerNameBodySchema } from "../../../common/structures/structures.schema";
import { call } from "../../api/client";
import { useMutation } from "../../api/useMutation";
import { useFormErrors } from "../../components/form/useFormErrors";
import { SuccessNotice } from "../../components/SuccessNotice";

const nameLabels = { name: "Nouveau nom" } as const;

/**
 * The "Renommer" button of a partner of the catalogue and its form: a typo in a partner's name is
 * fixed after its creation. A name another partner has is refused under the field. Saved, the form
 * closes on a notice that takes the focus.
 */
export function RenamePartner({ partner }: { partner: { id: string; name: string } }): ReactNode {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(partner.name);
  const [notice, setNotice] = useState("");
  const errors = useFormErrors(`rename-${partner.id}`, nameLabels, { "catalogue.partnerNameTaken": "name" });
  const save = useMutation({
    mutationFn: (body: { name: string }) =>
      call(structuresRoutes.renamePartner, { params: { partnerId: partner.id }, body }),
    onSuccess: (catalogue, body) => {
      queryClient.setQueryData(["catalogue"], catalogue);
      setOpen(false);
      setNotice(`Partenaire renommé « ${body.name.trim()} ».`);
    },
    onError: errors.showApiError,
  });
  const toggle = () => {
    setNotice("");
    setName(partner.name);
    errors.clear();
    setOpen(!open);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.check(partnerNameBodySchema, { name })) save.mutate({ name });
  };
  return (
    <>
      <Button size="small" priority="tertiary no outline" aria-expanded={open} onClick={toggle}>
        {open ? "Fermer" : "Renommer"}
        <span className="fr-sr-only"> « {partner.name} »</span>
      </Button>
      {notice && <SuccessNotice message={notice} className="fr-mt-1w" />}
      {open && (
        <form onSubmit={submit} noValidate aria-label={`Renommer « ${partner.name} »`} className="fr-mt-1w">
          {errors.summary}
          <Input
            label="Nouveau nom"
            {...errors.state("name")}
            nativeInputProps={{
              ...errors.native("name"),
              value: name,
              required: true,
              onChange: (e) => setName(e.target.value),
            }}
          />
          <Button type="submit" size="small" disabled={save.isPending}>
            Enregistrer le nom
          </Button>
        </form>
      )}
    </>
  );
}
