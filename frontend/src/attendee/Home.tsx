import { A } from "@solidjs/router";
import { t } from "./t";

export default function Home() {
  return (
    <section class="space-y-4">
      <h1 class="text-3xl font-bold">{t("home.title")}</h1>
      <p class="text-lg">{t("home.body")}</p>
      <ul class="space-y-2">
        <li>
          <A href="/me" class="text-teal-800 underline">
            {t("home.me")}
          </A>
        </li>
        <li>
          <A href="/sign-in" class="text-teal-800 underline">
            {t("home.staff")}
          </A>
        </li>
      </ul>
    </section>
  );
}
