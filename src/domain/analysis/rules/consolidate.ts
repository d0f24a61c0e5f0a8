/**
 * Consolidate: tools that do the same job — known overlaps (`OVERLAP_GROUPS`) first, then
 * other tools sharing a category where two tools almost always mean paying twice — keep the
 * most used and retire the others; the saving is the retired tools' cost.
 * Reads: the tools that stay (catalog, category, seats, active seats, cost). Writes: retires
 * the others ('consolidate').
 */
import { fromCents } from '../../money.js';
import { OVERLAP_GROUPS } from '../catalog.js';
import { recommend, retire, type Finding, type SavingRule, type ToolState } from './state.js';

// Categories where two tools almost always mean paying twice for one job.
const CONSOLIDATABLE = new Set([
  'communication',
  'video_conferencing',
  'project_management',
  'documentation',
  'file_storage',
  'design',
  'whiteboard',
  'office_suite',
  'code_hosting',
  'monitoring',
  'error_tracking',
  'incident_management',
  'crm',
  'customer_support',
  'email_marketing',
  'social_media',
  'seo',
  'analytics',
  'business_intelligence',
  'password_management',
  'identity',
  'device_management',
  'e_signature',
  'scheduling',
  'forms',
  'video_messaging',
  'meeting_notes',
  'accounting',
  'expenses',
  'payroll',
  'feature_flags',
]);

interface Group {
  need: string;
  members: ToolState[];
  reason: 'known_overlap' | 'same_category';
}

/** Known overlaps first (a tool joins the first group it is in), then same-category tools, by category. */
function groupsOf(tools: readonly ToolState[]): Group[] {
  const staying = tools.filter((t) => !t.left.retiredBy);
  const grouped = new Set<number>();
  const groups: Group[] = [];
  for (const group of OVERLAP_GROUPS) {
    const members = staying.filter((t) => t.catalog && group.tools.includes(t.catalog.name) && !grouped.has(t.index));
    const distinct = new Set(members.map((m) => m.catalog!.name));
    if (distinct.size >= 2) {
      groups.push({ need: group.need, members, reason: 'known_overlap' });
      for (const m of members) grouped.add(m.index);
    }
  }
  const byCategory = new Map<string, ToolState[]>();
  for (const t of staying) {
    if (grouped.has(t.index) || !CONSOLIDATABLE.has(t.category)) continue;
    byCategory.set(t.category, [...(byCategory.get(t.category) ?? []), t]);
  }
  for (const [category, members] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
    if (members.length >= 2) groups.push({ need: category.replace(/_/g, ' '), members, reason: 'same_category' });
  }
  return groups;
}

/** How much a tool is used, to choose which of overlapping tools to keep. */
const usage = (t: ToolState): [number, number, number] => [t.activeSeats ?? -1, t.seats ?? -1, t.cents ?? 0];
function mostUsed(tools: ToolState[]): ToolState {
  return [...tools].sort((a, b) => {
    const [ua, ub] = [usage(a), usage(b)];
    for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return ub[i]! - ua[i]!;
    return a.index - b.index;
  })[0]!;
}

export const consolidate: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const retired = new Set<number>();
  for (const group of groupsOf(state.tools)) {
    const keep = mostUsed(group.members);
    const others = group.members.filter((m) => m !== keep);
    const savings = others.reduce((sum, m) => sum + (m.cents ?? 0), 0);
    for (const m of others) retired.add(m.index);
    findings.push(
      recommend(
        context,
        {
          type: 'consolidate',
          title: `Consolidate ${group.need} on ${keep.tool.name}`,
          detail: `${group.members.map((m) => m.tool.name).join(', ')} do the same job. Keeping ${keep.tool.name} (the most used) and retiring ${others.map((m) => m.tool.name).join(', ')} saves their cost.`,
          tools: group.members.map((m) => m.tool.name),
          confidence: group.reason === 'known_overlap' ? 0.7 : 0.5,
          evidence: {
            reason: group.reason,
            need: group.need,
            keep: { name: keep.tool.name, activeSeats: keep.activeSeats, seats: keep.seats },
            retire: others.map((m) => ({
              name: m.tool.name,
              monthlyCost: m.cents === null ? null : fromCents(m.cents),
            })),
            savings: `${others.map((m) => fromCents(m.cents ?? 0)).join(' + ')} = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
  }
  return { tools: state.tools.map((t) => (retired.has(t.index) ? retire(t, 'consolidate') : t)), findings };
};
