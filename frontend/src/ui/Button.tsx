import { splitProps, type JSX } from "solid-js";

type Variant = "primary" | "secondary" | "link";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-teal-800 text-white hover:bg-teal-900 disabled:bg-stone-400",
  secondary: "border border-stone-400 bg-white text-stone-900 hover:bg-stone-100 disabled:text-stone-500",
  link: "text-teal-800 underline hover:text-teal-950 disabled:text-stone-500",
};

export function Button(props: JSX.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  const [local, rest] = splitProps(props, ["variant", "class", "type"]);
  return (
    <button
      type={local.type ?? "button"}
      class={`min-h-12 rounded-lg px-5 py-3 text-base font-semibold focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-teal-600 ${VARIANTS[local.variant ?? "primary"]} ${local.class ?? ""}`}
      {...rest}
    />
  );
}
