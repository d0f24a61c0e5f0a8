/**
 * Consolidate (the waterfall's first step): tools that do the same job — known overlaps
 * (`OVERLAP_GROUPS`) first, then other tools sharing a category where two tools almost always
 * mean paying twice — keep the most used and retire the others. Their users move to the tool
 * kept: they fill its idle seats first, and it adds the seats still missing at its price per
 * seat. The saving is the retired tools' cost minus those added seats; a group where moving
 * costs as much as it saves is not recommended.
 * Reads: the tools that stay (catalog, category, seats, people using them, cost). Writes:
 * retires the others ('consolidate'); the tool kept gets their users and the added seats.
 */
import { fromCents } from '../../money.js';
import { OVERLAP_GROUPS, type Category } from '../catalog.js';
import { andList, isPerSeat } from './common.js';
import {
  leave,
  recommend,
  retire,
  seatPrice,
  type AnalysisContext,
  type Finding,
  type SavingRule,
  type ToolState,
} from './state.js';

// Categories where two tools almost always mean paying twice for one job (a subset of the
// catalog's categories: the type keeps it one).
const CONSOLIDATABLE: ReadonlySet<string> = new Set<Category>([
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

/** The people using a tool: its active seats, else (unknown) everyone with a seat, else null. */
const usersOf = (t: ToolState): number | null => t.left.activeSeats ?? (t.seats === null ? null : t.left.seats);

/**
 * What keeping `keep` costs more: the seats it must add for the retired tools' users (after
 * filling its idle seats), at its price per seat. A tool not priced by the seat adds its
 * seats at no cost; one whose seats are not listed adds none.
 */
function absorb(keep: ToolState, users: number | null, context: AnalysisContext) {
  if (keep.seats === null) {
    return { users, seatsToAdd: 0, unit: null, addCents: 0, note: `the seats of ${keep.tool.name} are not known` };
  }
  if (users === null) {
    return { users, seatsToAdd: 0, unit: null, addCents: 0, note: 'their users are not known: no seats counted' };
  }
  const using = keep.left.activeSeats ?? keep.left.seats;
  const seatsToAdd = Math.max(0, using + users - keep.left.seats);
  if (!isPerSeat(keep.tool)) {
    return { users, seatsToAdd, unit: null, addCents: 0, note: `${keep.tool.name} is not priced by the seat` };
  }
  const unit = seatsToAdd > 0 ? seatPrice(keep, context) : null;
  if (unit && unit.cents === null) {
    return { users, seatsToAdd, unit, addCents: 0, note: 'price per seat unknown: the seats to add are not counted' };
  }
  return { users, seatsToAdd, unit, addCents: seatsToAdd * (unit?.cents ?? 0), note: null };
}

export const consolidate: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const changed = new Map<number, ToolState>();
  for (const group of groupsOf(state.tools)) {
    const keep = mostUsed(group.members);
    const others = group.members.filter((m) => m !== keep);
    const retiredCents = others.reduce((sum, m) => sum + m.left.cents, 0);
    const users = others.reduce<number | null>((sum, m) => {
      const u = usersOf(m);
      return sum === null || u === null ? null : sum + u;
    }, 0);
    const absorbed = absorb(keep, users, context);
    const savings = retiredCents - absorbed.addCents;
    // Moving everyone would cost more than it saves, or as much: nothing to recommend on money.
    if (savings < 0 || (savings === 0 && retiredCents > 0)) continue;
    for (const m of others) changed.set(m.index, retire(m, 'consolidate'));
    changed.set(
      keep.index,
      leave(keep, {
        seats: keep.left.seats + absorbed.seatsToAdd,
        activeSeats: keep.left.activeSeats === null || users === null ? null : keep.left.activeSeats + users,
        cents: keep.left.cents + absorbed.addCents,
      }),
    );
    const unitCents = absorbed.unit?.cents ?? null;
    const added =
      absorbed.seatsToAdd > 0 && unitCents !== null
        ? ` − ${absorbed.seatsToAdd} ${keep.tool.name} seat${absorbed.seatsToAdd === 1 ? '' : 's'} × ${fromCents(unitCents)}`
        : absorbed.addCents === 0 && absorbed.note === null
          ? ' − no seats to add'
          : '';
    const moving =
      users === null
        ? ''
        : ` Its ${users} user${users === 1 ? '' : 's'} move${users === 1 ? 's' : ''} to ${keep.tool.name}${
            absorbed.seatsToAdd > 0
              ? `, which needs ${absorbed.seatsToAdd} more seat${absorbed.seatsToAdd === 1 ? '' : 's'}`
              : ', into seats it already pays for'
          }.`;
    findings.push(
      recommend(
        context,
        {
          type: 'consolidate',
          title: `Consolidate ${group.need} on ${keep.tool.name}`,
          detail: `${andList(group.members.map((m) => m.tool.name))} do the same job. Keep ${keep.tool.name} (the most used) and retire ${andList(others.map((m) => m.tool.name))}.${moving}`,
          tools: group.members.map((m) => m.tool.name),
          confidence:
            (group.reason === 'known_overlap' ? 0.7 : 0.5) -
            (absorbed.unit && absorbed.unit.cents === null && absorbed.seatsToAdd > 0 ? 0.2 : 0),
          evidence: {
            reason: group.reason,
            need: group.need,
            keep: {
              name: keep.tool.name,
              activeSeats: keep.left.activeSeats,
              seats: keep.seats === null ? null : keep.left.seats,
              absorbsUsers: users,
              seatsToAdd: absorbed.seatsToAdd,
              pricePerSeat: unitCents === null ? null : fromCents(unitCents),
              pricePerSeatFrom: absorbed.unit?.from ?? null,
            },
            retire: others.map((m) => ({
              name: m.tool.name,
              monthlyCost: m.cents === null ? null : fromCents(m.left.cents),
              users: usersOf(m),
            })),
            ...(absorbed.note ? { note: absorbed.note } : {}),
            savings: `${others.map((m) => `${fromCents(m.left.cents)} (${m.tool.name})`).join(' + ')}${added} = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
  }
  return { tools: state.tools.map((t) => changed.get(t.index) ?? t), findings };
};
