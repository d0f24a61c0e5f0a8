/**
 * Charts (recharts). This module is loaded on demand (React.lazy) by the pages that chart,
 * so the chart library stays out of the first load. Each chart is an image to assistive
 * technology, labelled; the figures themselves are always in a table next to it.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import { money } from '../format';

const COLORS = ['#0172ad', '#d93526', '#398712', '#a846c2', '#c86b00', '#017fc0', '#7c6a00', '#5d6b89', '#b7403b'];

export function CategoryPie({
  data,
  currency,
}: {
  data: { category: string; monthlyCost: number }[];
  currency: string;
}) {
  const label = `Spend by category: ${data.map((d) => `${d.category.replace(/_/g, ' ')} ${money(d.monthlyCost, currency)}`).join(', ')}`;
  return (
    <div role="img" aria-label={label} className="chart">
      <ResponsiveContainer width="100%" height={240}>
        <PieChart>
          <Pie
            data={data.map((d) => ({ name: d.category.replace(/_/g, ' '), value: d.monthlyCost }))}
            dataKey="value"
            nameKey="name"
            innerRadius="45%"
            outerRadius="80%"
            isAnimationActive={false}
          >
            {data.map((d, i) => (
              <Cell key={d.category} fill={COLORS[i % COLORS.length]} />
            ))}
          </Pie>
          <Tooltip formatter={(value) => money(Number(value), currency)} />
        </PieChart>
      </ResponsiveContainer>
    </div>
  );
}

export function MonthlyBars({ data, currency }: { data: { month: string; total: number }[]; currency: string }) {
  const label = `Spend by month: ${data.map((d) => `${d.month} ${money(d.total, currency)}`).join(', ')}`;
  return (
    <div role="img" aria-label={label} className="chart">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tick={{ fontSize: 12 }} />
          <YAxis tick={{ fontSize: 12 }} tickFormatter={(v: number) => money(v, currency).replace(/\.00$/, '')} />
          <Tooltip formatter={(value) => money(Number(value), currency)} />
          <Bar dataKey="total" name="Spend" fill={COLORS[0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
