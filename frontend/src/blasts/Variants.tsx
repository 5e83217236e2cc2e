import { Index, Show } from "solid-js";
import { SelectField } from "../crm/SelectField";
import { Button } from "../ui/Button";
import { TextField } from "../ui/TextField";
import { evenWeights, nextVariantLabel, weightTotal, type VariantForm } from "./spec";
import { t } from "./t";

/** One channel's A/B variants: a template and a share each, shares that must add up to 100. */
export function Variants(props: {
  channel: "sms" | "email";
  variants: VariantForm[];
  /** The channel's one template, which becomes variant A when going A/B. */
  templateId: string;
  templates: { value: string; label: string }[];
  onChange: (variants: VariantForm[]) => void;
}) {
  const labels = () => `composer.variantsFor.${props.channel}` as const;
  const total = () => weightTotal(props.variants);
  const withEvenWeights = (variants: VariantForm[]) => {
    const weights = evenWeights(variants.length);
    return variants.map((v, index) => ({ ...v, weight: weights[index] ?? 0 }));
  };
  // Going A/B starts with two variants, the first from the template already chosen.
  const add = () => {
    const current = props.variants.length > 0 ? props.variants : [{ label: "A", templateId: props.templateId, weight: 0 }];
    props.onChange(withEvenWeights([...current, { label: nextVariantLabel(current), templateId: "", weight: 0 }]));
  };
  const remove = (label: string) => {
    const rest = props.variants.filter((v) => v.label !== label);
    props.onChange(rest.length < 2 ? [] : withEvenWeights(rest));
  };
  const update = (index: number, change: Partial<VariantForm>) => {
    props.onChange(props.variants.map((v, i) => (i === index ? { ...v, ...change } : v)));
  };
  return (
    <fieldset class="space-y-3 rounded-lg border border-stone-300 p-3">
      <legend class="px-1 font-semibold">{t(`${labels()}.title`)}</legend>
      <p class="text-sm text-stone-700">{t("composer.variantsIntro")}</p>
      <Index each={props.variants}>
        {(variant, index) => (
          <div class="grid items-end gap-2 sm:grid-cols-[1fr_8rem_auto]">
            <SelectField
              label={t(`${labels()}.template`, { label: variant().label })}
              options={props.templates}
              value={variant().templateId}
              onChange={(value) => { update(index, { templateId: value }); }}
            />
            <TextField
              label={t(`${labels()}.weight`, { label: variant().label })}
              inputmode="numeric"
              value={String(variant().weight)}
              onInput={(event) => { update(index, { weight: Number(event.currentTarget.value) || 0 }); }}
            />
            <Button variant="secondary" onClick={() => { remove(variant().label); }}>
              {t(`${labels()}.remove`, { label: variant().label })}
            </Button>
          </div>
        )}
      </Index>
      <Show when={props.variants.length > 0}>
        <p class={total() === 100 ? "text-sm" : "text-sm text-red-800"}>
          {t(total() === 100 ? "composer.weightTotal" : "composer.weightTotalWrong", { total: total() })}
        </p>
      </Show>
      <Button variant="secondary" disabled={props.variants.length >= 26} onClick={add}>
        {t(`${labels()}.add`)}
      </Button>
    </fieldset>
  );
}
