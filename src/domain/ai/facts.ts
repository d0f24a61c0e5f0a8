/**
 * What the model is given about an audit, and the facts it may cite. Every figure the model
 * may state has a reference (`R2.savings`, `total.monthly`, `T3.cost`…) whose text the
 * server writes in from the engine's analysis (references.ts); the model sees the values to
 * reason with, but never writes one itself. Only the audit's own data goes in; people's
 * names (tool owners) only when the organization allows it, and never the tools' notes.
 * Pure: no I/O.
 */
import { renewalShown, type Analysis } from '../analysis/result.js';
import type { StackData } from '../analysis/stack.js';
import { formatMoney } from '../money.js';

export interface Fact {
  /** Its reference, as the model writes it between braces. */
  id: string;
  /** What is shown for it. */
  text: string;
  /** The recommendation it is or belongs to (its index in the analysis), if any. */
  recommendation: number | null;
  /** A sum of money: its amount and currency (`text` is it written in en-US), so a client may write it its way. */
  money: { amount: number; currency: string } | null;
}

export interface AuditFacts {
  facts: ReadonlyMap<string, Fact>;
  /** Names that may contain digits in the model's own words ("Microsoft 365", "1Password"). */
  names: readonly string[];
  /** The structured input the model is given (JSON-serialisable). */
  input: Record<string, unknown>;
  /** Recommendation index → title and saving: what a citation shows. */
  recommendations: readonly { title: string; monthlySavings: number }[];
}

export interface FactsOptions {
  includePeopleNames: boolean;
  /** At most this many tools are listed (largest cost first); the totals cover them all. */
  maxTools?: number;
}

/** The analysis as stored: parts of older analyses may be missing. */
export type StoredAnalysis = Pick<Analysis, 'summary' | 'recommendations'> & {
  costAnalysis: Partial<Analysis['costAnalysis']> & { currency?: string };
  riskAssessment: Partial<Analysis['riskAssessment']> | null;
};

interface Shown {
  text: string;
  money: Fact['money'];
}

const count = (n: number) => new Intl.NumberFormat('en-US').format(n);

export function auditFacts(analysis: StoredAnalysis, stack: StackData | null, options: FactsOptions): AuditFacts {
  const currency = analysis.costAnalysis.currency ?? stack?.currency ?? 'USD';
  const facts = new Map<string, Fact>();
  const names = new Set<string>();
  /** A sum in the analysis's currency, as shown. */
  const cash = (amount: number): Shown => ({ text: formatMoney(amount, currency), money: { amount, currency } });
  const add = (id: string, shown: string | Shown, recommendation: number | null = null) => {
    const { text, money: sum } = typeof shown === 'string' ? { text: shown, money: null } : shown;
    facts.set(id, { id, text, recommendation, money: sum });
    return { ref: id };
  };
  const figure = (id: string, label: string, value: number, shown: string | Shown) => ({
    ...add(id, shown),
    label,
    value,
  });
  /** A figure given with its value and its reference. */
  const valued = <T>(id: string, shown: string | Shown, value: T) => ({ ...add(id, shown), value });

  const summary = analysis.summary;
  const figures = [
    figure('total.monthly', 'total monthly cost', summary.totalMonthlyCost, cash(summary.totalMonthlyCost)),
    figure('total.annual', 'total annual cost', summary.totalAnnualCost, cash(summary.totalAnnualCost)),
    figure(
      'savings.monthly',
      'monthly saving of all recommendations together',
      summary.potentialMonthlySavings,
      cash(summary.potentialMonthlySavings),
    ),
    figure('tools.count', 'number of tools', summary.toolCount, count(summary.toolCount)),
    figure('health.score', 'health score out of 100', summary.healthScore, `${summary.healthScore}/100`),
  ];
  const perEmployee = analysis.costAnalysis.perEmployee;
  if (typeof perEmployee === 'number') {
    figures.push(figure('perEmployee.monthly', 'monthly cost per employee', perEmployee, cash(perEmployee)));
  }
  const riskScore = analysis.riskAssessment?.score;
  if (typeof riskScore === 'number') {
    figures.push(figure('risk.score', 'risk score out of 100', riskScore, `${riskScore}/100`));
  }

  const recommendations = analysis.recommendations.map((r, index) => {
    const id = `R${index + 1}`;
    add(id, r.title, index);
    r.tools.forEach((t) => names.add(t));
    add(`${id}.savings`, cash(r.estimatedMonthlySavings), index);
    return {
      ref: id,
      type: r.type,
      priority: r.priority,
      confidence: r.confidence,
      title: r.title,
      detail: r.detail,
      tools: r.tools,
      monthlySavings: { ref: `${id}.savings`, value: r.estimatedMonthlySavings },
    };
  });

  const renewals = (analysis.costAnalysis.renewalsNext90Days ?? []).map((n, index) => {
    const id = `N${index + 1}`;
    names.add(n.name);
    add(id, `${n.name} renewing on ${n.date}${n.cancelBy ? ` (cancel by ${n.cancelBy})` : ''}`);
    return {
      ref: id,
      tool: n.name,
      date: valued(`${id}.date`, n.date, n.date),
      cancelBy: n.cancelBy ? valued(`${id}.cancelBy`, n.cancelBy, n.cancelBy) : null,
      monthlyCost: valued(`${id}.cost`, cash(n.monthlyCost), n.monthlyCost),
    };
  });

  const risks = (analysis.riskAssessment?.factors ?? []).map((k, index) => {
    const id = `K${index + 1}`;
    add(id, k.detail);
    return { ref: id, type: k.type, severity: k.severity, tools: k.tools, detail: k.detail };
  });

  const costOf = new Map((analysis.costAnalysis.byTool ?? []).map((t) => [t.name, t.monthlyCost]));
  // The active seats the analysis used: measured by an identity provider where it had them, else as typed.
  const measured = new Map((analysis.costAnalysis.usage ?? []).map((u) => [u.tool, u.activeSeats]));
  const listed = [...(stack?.tools ?? [])]
    .map((tool, position) => ({ tool, position, cost: costOf.get(tool.name) ?? null }))
    .sort((a, b) => (b.cost ?? -1) - (a.cost ?? -1) || a.position - b.position)
    .slice(0, options.maxTools ?? 200);
  const tools = listed.map(({ tool, position, cost }, index) => {
    const id = `T${index + 1}`;
    add(id, tool.name);
    for (const name of [tool.name, tool.vendor, tool.category, tool.department]) if (name) names.add(name);
    const entry: Record<string, unknown> = {
      ref: id,
      name: tool.name,
      vendor: tool.vendor ?? null,
      category: tool.category ?? null,
      department: tool.department ?? null,
      billingCycle: tool.billingCycle ?? null,
      renewalDate: renewalShown(tool, position, analysis),
    };
    if (cost !== null) entry.monthlyCost = valued(`${id}.cost`, cash(cost), cost);
    if (tool.seats !== undefined) entry.seats = valued(`${id}.seats`, count(tool.seats), tool.seats);
    const active = measured.get(tool.name) ?? tool.activeSeats;
    if (active !== undefined) entry.activeSeats = valued(`${id}.active`, count(active), active);
    if (options.includePeopleNames && tool.owner) {
      entry.owner = tool.owner;
      names.add(tool.owner);
    }
    return entry;
  });

  return {
    facts,
    names: [...names].filter((n) => /\d/.test(n)),
    input: { currency, figures, recommendations, renewals, risks, tools },
    recommendations: analysis.recommendations.map((r) => ({
      title: r.title,
      monthlySavings: r.estimatedMonthlySavings,
    })),
  };
}
