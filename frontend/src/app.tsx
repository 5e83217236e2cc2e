import { Router, type RouteDefinition } from "@solidjs/router";
import { QueryClientProvider } from "@tanstack/solid-query";
import { lazy } from "solid-js";
import { features } from "./features";
import { createQueryClient } from "./lib/query";
import { Shell } from "./staff/Shell";

const routes: RouteDefinition[] = [
  ...features.flatMap((feature) => feature.routes),
  { path: "*404", component: lazy(() => import("./ui/NotFound")) },
];

export function App() {
  const queryClient = createQueryClient();
  return (
    <QueryClientProvider client={queryClient}>
      <Router root={Shell}>{routes}</Router>
    </QueryClientProvider>
  );
}
