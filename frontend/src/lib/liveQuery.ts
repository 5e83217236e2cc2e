import {
  QueryObserver,
  useQueryClient,
  type QueryKey,
  type QueryObserverOptions,
  type QueryObserverResult,
} from "@tanstack/solid-query";
import { createComputed, createSignal, onCleanup, type Accessor } from "solid-js";

/**
 * A query for a screen that refreshes in the background (Realtime invalidation, polling), as a
 * plain signal of the observer's result — never read through a Suspense resource.
 *
 * Why: solid-query 5's useQuery serves `data` from a resource that it refetches on every
 * background update, and a read inside <Suspense> during one of those can leave the boundary
 * counting a fetch that already ended (TanStack/query#9955, fix pending in #11230). The inbox
 * list stayed on "Loading…" for good while fresh rows kept arriving. With this, loading, errors
 * and placeholder data are the caller's to show, from `isPending`, `error` and `data`.
 */
export function createLiveQuery<TData, TKey extends QueryKey = QueryKey>(
  options: () => QueryObserverOptions<TData, Error, TData, TData, TKey>,
): Accessor<QueryObserverResult<TData>> {
  const client = useQueryClient();
  const defaulted = () => client.defaultQueryOptions(options());
  const observer = new QueryObserver<TData, Error, TData, TData, TKey>(client, defaulted());
  const [result, setResult] = createSignal(observer.getOptimisticResult(defaulted()), { equals: false });
  createComputed(() => {
    const next = defaulted();
    observer.setOptions(next);
    setResult(observer.getOptimisticResult(next));
  });
  onCleanup(observer.subscribe((next) => setResult(next)));
  return result;
}
