import { useParams } from "@solidjs/router";
import { PersonalQr } from "../ui/PersonalQr";
import { t } from "./t";

/** The page a pass link opens: the person's QR code (their token, from the link), drawn
 * locally; nothing is fetched, so the link works at a door with a weak signal once loaded. */
export default function PassPage() {
  const params = useParams<{ token: string }>();
  return (
    <div class="mx-auto flex max-w-md flex-col items-center space-y-4 text-center">
      <h1 class="text-3xl font-bold">{t("pass.title")}</h1>
      <PersonalQr token={params.token} label={t("pass.qrLabel")} />
      <p>{t("pass.show")}</p>
    </div>
  );
}
