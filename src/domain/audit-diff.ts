import type { StackData, Tool } from './analysis/stack.js';

/** What changed between two audits' stacks (the API's answer, and the web app's type of it). */
export interface AuditDiff {
  from: { id: string; name: string; createdAt: string | null };
  to: { id: string; name: string; createdAt: string | null };
  toolsAdded: string[];
  toolsRemoved: string[];
  changed: { name: string; field: string; before: unknown; after: unknown }[];
  totalMonthlyCostChange: number;
}

/** The fields of a tool whose change a diff reports. */
const DIFF_FIELDS = [
  'monthlyCost',
  'annualCost',
  'seats',
  'activeSeats',
  'billingCycle',
  'vendor',
  'category',
  'currency',
  'renewalDate',
  'contractEndDate',
  'owner',
] as const;

const monthly = (tool: Tool): number => tool.monthlyCost ?? (tool.annualCost !== undefined ? tool.annualCost / 12 : 0);

/** What changed between two audits' stacks, tool by tool (matched by name, case-insensitively). */
type Compared = { id: string; name: string; createdAt: Date | null; stackData: unknown };

export function diffAudits(from: Compared, to: Compared): AuditDiff {
  const tools = (audit: Compared): Map<string, Tool> => {
    const stack = audit.stackData as Partial<StackData> | null;
    const list = Array.isArray(stack?.tools) ? stack.tools : [];
    return new Map(list.map((tool) => [tool.name.trim().toLowerCase(), tool]));
  };
  const before = tools(from);
  const after = tools(to);
  const changed: AuditDiff['changed'] = [];
  for (const [key, next] of after) {
    const prev = before.get(key);
    if (!prev) continue;
    for (const field of DIFF_FIELDS) {
      if (JSON.stringify(prev[field]) !== JSON.stringify(next[field])) {
        changed.push({ name: next.name, field, before: prev[field] ?? null, after: next[field] ?? null });
      }
    }
  }
  const cents = (m: Map<string, Tool>) => [...m.values()].reduce((sum, t) => sum + Math.round(monthly(t) * 100), 0);
  return {
    from: { id: from.id, name: from.name, createdAt: from.createdAt?.toISOString() ?? null },
    to: { id: to.id, name: to.name, createdAt: to.createdAt?.toISOString() ?? null },
    toolsAdded: [...after].filter(([k]) => !before.has(k)).map(([, t]) => t.name),
    toolsRemoved: [...before].filter(([k]) => !after.has(k)).map(([, t]) => t.name),
    changed,
    totalMonthlyCostChange: (cents(after) - cents(before)) / 100,
  };
}
