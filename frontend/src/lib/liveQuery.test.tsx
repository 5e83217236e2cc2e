import { render, screen } from "@solidjs/testing-library";
import { keepPreviousData, QueryClient, QueryClientProvider } from "@tanstack/solid-query";
import { createSignal, For, Show, Suspense } from "solid-js";
import { createLiveQuery } from "./liveQuery";

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
