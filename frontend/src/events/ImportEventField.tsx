import { useQuery } from "@tanstack/solid-query";
import { SelectField } from "../crm/SelectField";
import { eventKeys, fetchEventOverview } from "./api";
import { t } from "./t";

/** For the CSV import: the event whose RSVP list the file is ("" = a plain contact import).
 * Events that have not ended are offered. */
export function ImportEventField(props: { value: string; onChange: (eventId: string) => void }) {
  const events = useQuery(() => ({ queryKey: eventKeys.overview(), queryFn: fetchEventOverview }));
  const options = () => [
    { value: "", label: t("import.none") },
    ...(events.data ?? [])
      .filter((event) => Date.parse(event.ends_at) > Date.now() || event.id === props.value)
      .map((event) => ({ value: event.id, label: event.name })),
  ];
  return (
    <SelectField
      label={t("import.label")}
      options={options()}
      value={props.value}
      onChange={(value) => { props.onChange(value); }}
    />
  );
}
