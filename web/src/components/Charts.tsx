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
  Legend,
  Line,
  LineChart,
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

/** Each tool's spend month by month: a line per tool, so a price change or a retired tool shows. */
export function ToolHistory({
  months,
  tools,
  currency,
}: {
  months: string[];
  tools: { toolName: string; months: { month: string; amount: number }[] }[];
  currency: string;
}) {
  const label = `Price history by tool: ${tools
    .map((t) => `${t.toolName} ${t.months.map((m) => `${m.month} ${money(m.amount, currency)}`).join(', ')}`)
    .join('; ')}`;
  const data = months.map((month) => ({
    month,
    ...Object.fromEntries(tools.map((t) => [t.toolName, t.months.find((m) => m.month === month)?.amount ?? 0])),
  }));
  return (
    <div role="img" aria-label={label} className="chart">
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tick={{ fontSize: 12 }} />
          <YAxis tick={{ fontSize: 12 }} tickFormatter={(v: number) => money(v, currency).replace(/\.00$/, '')} />
          <Tooltip formatter={(value) => money(Number(value), currency)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {tools.map((t, i) => (
            <Line
              key={t.toolName}
              dataKey={t.toolName}
              stroke={COLORS[i % COLORS.length]}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
