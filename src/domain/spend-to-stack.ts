/**
 * "Audit this spend": a stack from the tool costs of whole calendar months, one tool per
 * tool (its catalog entry, else its name whatever the case) whatever the currencies its lines
 * are in; a tool whose refunds outweigh its charges in the window is left out. Pure: the
 * totals come from the repository, the rates from the organization.
 */
import { findInCatalog, toolKey } from './analysis/catalog.js';
import type { Tool } from './analysis/stack.js';
import { toBaseCents, type Rates } from './currency.js';
import { fromCents, toCents } from './money.js';

export interface ToolTotal {
  /** The tool's name compared without case or surrounding spaces. */
  toolKey: string;
  toolName: string;
  vendor: string | null;
  currency: string | null;
  /** Decimal string: the sum of its lines in `currency`. */
  total: string;
}

export interface SpendWindow {
  /** First day of the first whole month, 'YYYY-MM-DD'. */
  from: string;
  /** First day after the last whole month (the current month's first day). */
  until: string;
  months: number;
}

/** The organization's tools with their monthly average over the window, in the base currency where a rate allows, dearest first. */
export function stackFromSpend(totals: readonly ToolTotal[], window: SpendWindow, base: string, rates: Rates): Tool[] {
  // One tool per catalog entry too: "Slack" and "Slack Technologies" are one tool.
  const byTool = new Map<string, ToolTotal[]>();
  for (const t of totals) byTool.set(toolKey(t.toolName), [...(byTool.get(toolKey(t.toolName)) ?? []), t]);
  const last = new Date(Date.parse(`${window.until}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const period = `${window.from} to ${last} (${window.months} whole month${window.months === 1 ? '' : 's'})`;
  const tools: { tool: Tool; cents: number }[] = [];
  for (const lines of byTool.values()) {
    const first = lines[0]!;
    // The catalog's spelling where it knows the tool ("slack" and "Slack" are Slack).
    const known = findInCatalog(first.toolName);
    let cents = 0;
    const unconverted: { currency: string; cents: number }[] = [];
    for (const line of lines) {
      const currency = line.currency ?? base;
      const inBase = toBaseCents(toCents(line.total), currency, base, rates);
      if (inBase === null) unconverted.push({ currency, cents: toCents(line.total) });
      else cents += inBase;
    }
    // All of it in one currency without a rate: kept in that currency (the analysis names the missing rate).
    const own =
      unconverted.length === lines.length && new Set(unconverted.map((u) => u.currency)).size === 1
        ? { currency: unconverted[0]!.currency, cents: unconverted.reduce((sum, u) => sum + u.cents, 0) }
        : null;
    const net = own ? own.cents : cents;
    // Refunds and credits above the charges: nothing was paid for it in the window.
    if (net <= 0) continue;
    const monthly = Math.round(net / window.months);
    const leftOut = own
      ? ''
      : unconverted.map((u) => `; ${fromCents(u.cents)} ${u.currency} left out (no exchange rate)`).join('');
    tools.push({
      tool: {
        name: (known?.name ?? first.toolName).slice(0, 255),
        ...(first.vendor ? { vendor: first.vendor.slice(0, 255) } : known ? { vendor: known.vendor } : {}),
        monthlyCost: fromCents(monthly),
        ...(own ? { currency: own.currency } : {}),
        notes: `Monthly average of imported spend from ${period}${leftOut}`.slice(0, 1000),
      },
      cents: own ? -1 : monthly,
    });
  }
  return tools.sort((a, b) => b.cents - a.cents || a.tool.name.localeCompare(b.tool.name)).map((t) => t.tool);
}
