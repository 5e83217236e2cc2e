import {
  InfiniteQueryObserver,
  QueryObserver,
  useQueryClient,
  type DefaultedInfiniteQueryObserverOptions,
  type InfiniteData,
  type InfiniteQueryObserverOptions,
  type InfiniteQueryObserverResult,
  type QueryKey,
  type QueryObserverOptions,
  type QueryObserverResult,
} from "@tanstack/solid-query";
import { createComputed, createSignal, onCleanup, type Accessor } from "solid-js";

/** What createLiveQuery needs of a query-core observer (plain or infinite). */
interface Observer<TOptions, TResult> {
  setOptions(options: TOptions): void;
  getOptimisticResult(options: TOptions): TResult;
  subscribe(listener: (result: TResult) => void): () => void;
}

/** The observer's result as a signal that follows the options and every update. */
function observe<TOptions, TResult>(observer: Observer<TOptions, TResult>, options: () => TOptions): Accessor<TResult> {
  const [result, setResult] = createSignal(observer.getOptimisticResult(options()), { equals: false });
  createComputed(() => {
    const next = options();
    observer.setOptions(next);
    setResult(() => observer.getOptimisticResult(next));
  });
  onCleanup(observer.subscribe((next) => setResult(() => next)));
  return result;
}

/**
 * A query for a screen that refreshes in the background (Realtime invalidation, polling), as a
 * plain signal of the observer's result — never read through a Suspense resource.
 *
 * Why: solid-query 5's useQuery serves `data` from a resource that it refetches on every
 * background update, and a read inside <Suspense> during one of those can leave the boundary
 * counting a fetch that already ended (TanStack/query#9955, fix pending in #11230). The inbox
 * list stayed on "Loading…" for good while fresh rows kept arriving. With this, loading, errors
 * and placeholder data are the caller's to show, from `isPending`, `error` and `data`; a failed
 * refresh keeps the last `data` and sets `error`, so show both.
 */
export function createLiveQuery<TData, TKey extends QueryKey = QueryKey>(
  options: () => QueryObserverOptions<TData, Error, TData, TData, TKey>,
): Accessor<QueryObserverResult<TData>> {
  const client = useQueryClient();
  const defaulted = () => client.defaultQueryOptions(options());
  return observe(new QueryObserver<TData, Error, TData, TData, TKey>(client, defaulted()), defaulted);
}

/** createLiveQuery for a paged list (useInfiniteQuery's options and result), e.g. a timeline. */
export function createLiveInfiniteQuery<TPage, TKey extends QueryKey = QueryKey, TPageParam = unknown>(
  options: () => InfiniteQueryObserverOptions<TPage, Error, InfiniteData<TPage, TPageParam>, TKey, TPageParam>,
): Accessor<InfiniteQueryObserverResult<InfiniteData<TPage, TPageParam>>> {
  const client = useQueryClient();
  // defaultQueryOptions keeps the infinite fields (pages, getNextPageParam); its type forgets them.
  const defaulted = () =>
    client.defaultQueryOptions(options()) as unknown as DefaultedInfiniteQueryObserverOptions<
      TPage,
      Error,
      InfiniteData<TPage, TPageParam>,
      TKey,
      TPageParam
    >;
  return observe(new InfiniteQueryObserver(client, defaulted()), defaulted);
}
