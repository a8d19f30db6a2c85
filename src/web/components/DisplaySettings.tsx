import { Artwork } from "@codegouvfr/react-dsfr/Display/Artwork";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { type ReactNode, useId } from "react";

/**
 * The DSFR "Paramètres d'affichage" dialog. react-dsfr's own `Display` (rendered by its Header)
 * titles the dialog with an h1 placed before the page in the DOM: every page then had two h1. This
 * one is the same dialog (same id, so the DSFR script switches the theme alike) titled by an h2 and
 * rendered after the page.
 */
const modal = createModal({ id: "fr-theme-modal", isOpenedByDefault: false });

const themes = [
  { value: "light", label: "Thème clair" },
  { value: "dark", label: "Thème sombre" },
  { value: "system", label: "Système", hint: "Utilise les paramètres système." },
] as const;

/** The footer's entry that opens the dialog. */
export const displaySettingsItem = {
  buttonProps: modal.buttonProps,
  iconId: "fr-icon-theme-fill" as const,
  text: "Paramètres d'affichage",
};

export function DisplaySettings(): ReactNode {
  const id = useId();
  return (
    <modal.Component title="Paramètres d'affichage" titleAs="h2" size="small">
      <div className="fr-display">
        <div className="fr-form-group">
          <fieldset className="fr-fieldset">
            <legend className="fr-fieldset__legend fr-text--regular">
              Choisissez un thème pour personnaliser l'apparence du site.
            </legend>
            <div className="fr-fieldset__content">
              {themes.map((theme) => (
                <div key={theme.value} className="fr-radio-group fr-radio-rich">
                  <input
                    value={theme.value}
                    type="radio"
                    id={`${id}-${theme.value}`}
                    name="fr-radios-theme"
                  />
                  <label className="fr-label" htmlFor={`${id}-${theme.value}`}>
                    {theme.label}
                    {"hint" in theme && <span className="fr-hint-text">{theme.hint}</span>}
                  </label>
                  <div className="fr-radio-rich__img">
                    <Artwork theme={theme.value} />
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
      </div>
    </modal.Component>
  );
}
