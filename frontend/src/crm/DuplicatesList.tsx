import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { createLiveInfiniteQuery } from "../lib/liveQuery";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { DataBlock } from "../ui/DataBlock";
import { addresses, fetchDuplicatePairs, mergeHref, PAIRS_PAGE, type DuplicatePair, type PairSide } from "./duplicatePairs";
import { td } from "./duplicatePairsMessages";
import { displayName } from "./names";

function Side(props: { side: PairSide }) {
  return (
    <td class="p-2">
      <span class="block font-semibold">{displayName(props.side)}</span>
      <span class="block text-sm text-stone-700">{addresses(props.side)}</span>
    </td>
  );
}

function PairRow(props: { pair: DuplicatePair }) {
  return (
    <tr class="border-t border-stone-200">
      <td class="p-2">{td(`reason.${props.pair.reason}`)}</td>
      <Side side={props.pair.older} />
      <Side side={props.pair.newer} />
      <td class="p-2">
        <A class="text-blue-800 underline" href={mergeHref(props.pair)}>
          {td("compare", { older: displayName(props.pair.older), newer: displayName(props.pair.newer) })}
        </A>
      </td>
    </tr>
  );
}

/** Organizers: likely-duplicate pairs across the whole CRM, each linking to the contact page's merge. */
export default function DuplicatesList() {
  // A live query (lib/liveQuery.ts): coming back from a merge, or to the tab, serves the cached
  // pages while they are read again in the background, which useInfiniteQuery's resource can
  // leave stuck on "Looking for duplicates…".
  const pairs = createLiveInfiniteQuery(() => ({
    queryKey: ["rpc", "list_duplicate_pairs"],
    queryFn: ({ pageParam }) => fetchDuplicatePairs(pageParam),
    initialPageParam: 0,
    getNextPageParam: (last, all) => (last.more ? all.length * PAIRS_PAGE : undefined),
    // Every page is cut from the pairs of the whole CRM (about a second at 100k contacts,
    // bench/crm_contact.py), and a refresh reads each loaded page again: not on every return
    // to the tab.
    refetchOnWindowFocus: false,
  }));
  const rows = () => pairs().data?.pages.flatMap((page) => page.pairs);
  return (
    <RequireStaff min="organizer">
      <div class="space-y-4">
        <h1 class="text-2xl font-bold">{td("title")}</h1>
        <p>{td("intro")}</p>
        <DataBlock
          data={rows()}
          error={pairs().error}
          loading={td("loading")}
          isEmpty={(list) => list.length === 0}
          empty={td("none")}
        >
          {(list) => (
            <>
              <div class="overflow-x-auto">
                <table class="w-full text-left">
                  <caption class="sr-only">{td("table")}</caption>
                  <thead>
                    <tr>
                      <th scope="col" class="p-2">{td("columns.reason")}</th>
                      <th scope="col" class="p-2">{td("columns.older")}</th>
                      <th scope="col" class="p-2">{td("columns.newer")}</th>
                      <th scope="col" class="p-2">{td("columns.action")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>{(pair) => <PairRow pair={pair} />}</For>
                  </tbody>
                </table>
              </div>
              <Show when={pairs().hasNextPage}>
                <Button variant="secondary" disabled={pairs().isFetchingNextPage} onClick={() => void pairs().fetchNextPage()}>
                  {td("more")}
                </Button>
              </Show>
            </>
          )}
        </DataBlock>
      </div>
    </RequireStaff>
  );
}
