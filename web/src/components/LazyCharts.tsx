/** The charts, loaded when a page first shows one (the chart library is its own chunk). */
import { lazy, Suspense, type ComponentProps } from 'react';

const Pie = lazy(() => import('./Charts').then((m) => ({ default: m.CategoryPie })));
const Bars = lazy(() => import('./Charts').then((m) => ({ default: m.MonthlyBars })));
const History = lazy(() => import('./Charts').then((m) => ({ default: m.ToolHistory })));

const placeholder = <div className="chart" aria-busy="true" />;

export function CategoryPie(props: ComponentProps<typeof Pie>) {
  return (
    <Suspense fallback={placeholder}>
      <Pie {...props} />
    </Suspense>
  );
}

export function MonthlyBars(props: ComponentProps<typeof Bars>) {
  return (
    <Suspense fallback={placeholder}>
      <Bars {...props} />
    </Suspense>
  );
}

export function ToolHistory(props: ComponentProps<typeof History>) {
  return (
    <Suspense fallback={placeholder}>
      <History {...props} />
    </Suspense>
  );
}
