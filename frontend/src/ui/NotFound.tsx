import { A } from "@solidjs/router";
import { tCommon } from "../lib/i18n";

export default function NotFound() {
  return (
    <section class="mx-auto max-w-md space-y-3 p-6">
      <h1 class="text-2xl font-bold">{tCommon("notFound.title")}</h1>
      <p>{tCommon("notFound.body")}</p>
      <A href="/" class="text-teal-800 underline">
        {tCommon("notFound.home")}
      </A>
    </section>
  );
}
