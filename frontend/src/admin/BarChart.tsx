import { For, Index } from "solid-js";

export interface Series {
  name: string;
  /** A Tailwind fill class; every series also has a visible legend entry. */
  fill: string;
  values: number[];
}

const WIDTH = 640;
const HEIGHT = 200;
const GAP = 4;
// A month or two of data should not draw a wall: bars stay bar-shaped.
const MAX_BAR = 48;

/** The stacked bar heights of one category, bottom up, scaled to the tallest stack. */
export function stackHeights(values: number[], tallest: number, height: number): { y: number; h: number }[] {
  let top = height;
  return values.map((value) => {
    const h = tallest === 0 ? 0 : (value / tallest) * height;
    top -= h;
    return { y: top, h };
  });
}

/** A stacked bar chart as inline SVG: a picture for sighted readers (the numbers are in the table
 * the page shows beside it, which is what screen readers and the tests read). No chart library:
 * three charts of a few dozen bars need no axes engine, and SVG keeps the bundle small. */
export function BarChart(props: { label: string; categories: string[]; series: Series[] }) {
  const tallest = () =>
    Math.max(0, ...props.categories.map((_, index) => props.series.reduce((sum, serie) => sum + (serie.values[index] ?? 0), 0)));
  const barWidth = () => (props.categories.length === 0 ? 0 : Math.min(MAX_BAR, WIDTH / props.categories.length - GAP));
  return (
    <figure class="space-y-2">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} class="h-48 w-full" role="img" aria-label={props.label}>
        <Index each={props.categories}>
          {(_, index) => (
            <For
              each={stackHeights(
                props.series.map((serie) => serie.values[index] ?? 0),
                tallest(),
                HEIGHT,
              )}
            >
              {(bar, serieIndex) => (
                <rect
                  x={index * (barWidth() + GAP)}
                  y={bar.y}
                  width={barWidth()}
                  height={bar.h}
                  class={props.series[serieIndex()]?.fill ?? ""}
                />
              )}
            </For>
          )}
        </Index>
      </svg>
      <figcaption class="flex flex-wrap gap-4 text-sm">
        <For each={props.series}>
          {(serie) => (
            <span class="flex items-center gap-1">
              <svg viewBox="0 0 10 10" class="size-3" aria-hidden="true">
                <rect width="10" height="10" class={serie.fill} />
              </svg>
              {serie.name}
            </span>
          )}
        </For>
      </figcaption>
    </figure>
  );
}
