import { render, screen } from "@solidjs/testing-library";
import { keepPreviousData, QueryClient, QueryClientProvider } from "@tanstack/solid-query";
import { createSignal, For, Show, Suspense } from "solid-js";
import { createLiveInfiniteQuery, createLiveQuery } from "./liveQuery";

// A list refreshed in the background many times, under a Suspense boundary, while its key
// changes (a search): it must show the newest rows and never fall back to the boundary.
test("a live list inside Suspense keeps up with background refetches and key changes", async () => {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  let rows = ["Guest 1"];
  const [search, setSearch] = createSignal("");
  const fetchRows = (term: string) => Promise.resolve(rows.filter((row) => row.includes(term)));
  function List() {
    const list = createLiveQuery(() => ({
      queryKey: ["rows", search()],
      queryFn: () => fetchRows(search()),
      placeholderData: keepPreviousData,
    }));
    return (
      <Show when={list().data} fallback={<p>loading</p>}>
        {(data) => <ul><For each={data()}>{(row) => <li>{row}</li>}</For></ul>}
      </Show>
    );
  }
  render(() => (
    <QueryClientProvider client={client}>
      <Suspense fallback={<p>suspended</p>}>
        <List />
      </Suspense>
    </QueryClientProvider>
  ));
  expect(await screen.findByText("Guest 1")).toBeTruthy();

  rows = ["Guest 1", "Inés Visitor"];
  for (let i = 0; i < 5; i++) void client.invalidateQueries({ queryKey: ["rows"] });
  setSearch("Inés");
  void client.invalidateQueries({ queryKey: ["rows"] });

  expect(await screen.findByText("Inés Visitor")).toBeTruthy();
  expect(screen.queryByText("Guest 1")).toBeNull();
  expect(screen.queryByText("suspended")).toBeNull();
  expect(screen.queryByText("loading")).toBeNull();
});

// A refresh that fails keeps the last rows and says so: the screen shows both.
test("a failed background refresh keeps the data and reports the error", async () => {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  let fail = false;
  function Count() {
    const count = createLiveQuery(() => ({
      queryKey: ["count"],
      queryFn: () => (fail ? Promise.reject(new Error("offline")) : Promise.resolve(3)),
    }));
    return (
      <p>
        {count().data ?? "none"} {count().error ? "stale" : "fresh"}
      </p>
    );
  }
  render(() => (
    <QueryClientProvider client={client}>
      <Suspense fallback={<p>suspended</p>}>
        <Count />
      </Suspense>
    </QueryClientProvider>
  ));
  expect(await screen.findByText("3 fresh")).toBeTruthy();
  fail = true;
  void client.invalidateQueries({ queryKey: ["count"] });
  expect(await screen.findByText("3 stale")).toBeTruthy();
});

// A paged timeline: background refetches (Realtime) and a second page, never the boundary.
test("a live paged list under Suspense follows refetches and loads the next page", async () => {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  let newest = "Note 1";
  const pages: Record<number, string[]> = { 0: [newest], 1: ["Older note"] };
  function Timeline() {
    const activity = createLiveInfiniteQuery(() => ({
      queryKey: ["activity"],
      queryFn: ({ pageParam }: { pageParam: number }) => Promise.resolve(pageParam === 0 ? [newest] : (pages[pageParam] ?? [])),
      initialPageParam: 0,
      getNextPageParam: (_last: string[], all: string[][]) => (all.length < 2 ? all.length : undefined),
    }));
    return (
      <>
        <ul><For each={activity().data?.pages.flat() ?? []}>{(entry) => <li>{entry}</li>}</For></ul>
        <Show when={activity().hasNextPage}>
          <button type="button" onClick={() => void activity().fetchNextPage()}>older</button>
        </Show>
      </>
    );
  }
  render(() => (
    <QueryClientProvider client={client}>
      <Suspense fallback={<p>suspended</p>}>
        <Timeline />
      </Suspense>
    </QueryClientProvider>
  ));
  expect(await screen.findByText("Note 1")).toBeTruthy();
  newest = "Note 2";
  for (let i = 0; i < 3; i++) void client.invalidateQueries({ queryKey: ["activity"] });
  expect(await screen.findByText("Note 2")).toBeTruthy();
  (await screen.findByText("older")).click();
  expect(await screen.findByText("Older note")).toBeTruthy();
  expect(screen.queryByText("older")).toBeNull();
  expect(screen.queryByText("suspended")).toBeNull();
});
