/**
 * The narrative of an analysis: what the model is asked (prompts and the JSON schema of its
 * answer), how its answer is checked (only references to the input's recommendations and
 * figures, no number of its own) and how it is rendered with the engine's figures. And the
 * prompt of a question about an audit. Pure: no I/O.
 */
import type { AuditFacts } from './facts.js';
import { problemsOf, render, type Part } from './references.js';

const RULES = [
  'Never write a number yourself, in digits or in words: no amounts, counts, fractions, percentages, scores or dates.',
  'To state a figure, write its reference in braces exactly as the input gives it, e.g. {R1.savings}, {total.monthly}, {T2.cost}, {N1.date}: StackAudit writes in its own figure.',
  'Name a recommendation by its reference, e.g. {R1}; a tool by its name or reference, e.g. {T3}.',
  'Use only references that appear in the input. Do not invent facts the input does not state.',
];

export const NARRATIVE_SYSTEM = [
  'You write for StackAudit, which audits what a company spends on software.',
  "You are given StackAudit's analysis of one audit as JSON: figures, recommendations (largest saving first), renewals, risks and tools.",
  'Write for a finance lead: an executive summary of three to five sentences, and a plan — the recommendations worth acting on, in the order you would act on them, each with one sentence saying why (savings, risk, a renewal date coming).',
  ...RULES,
  'Answer with JSON only: {"summary": string, "plan": [{"recommendation": "R…", "reason": string}]}.',
].join('\n');

export const ANSWER_SYSTEM = [
  'You answer questions about one audit of a company’s software stack, for StackAudit.',
  "You are given StackAudit's analysis as JSON (figures, recommendations, renewals, risks, tools) and a question.",
  'Answer briefly, in a short paragraph of plain text. Rely only on the input; when it does not answer the question, say so.',
  'Cite the recommendations you rely on by their reference, e.g. {R2}.',
  ...RULES,
].join('\n');

/** The JSON schema the model's narrative must follow (OpenAI structured outputs, strict). */
export const NARRATIVE_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['summary', 'plan'],
  properties: {
    summary: { type: 'string' },
    plan: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['recommendation', 'reason'],
        properties: { recommendation: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
} as const;

export const MAX_SUMMARY = 2_000;
export const MAX_REASON = 800;
export const MAX_PLAN = 10;

export interface RenderedNarrative {
  summary: Part[];
  plan: { recommendation: number; title: string; monthlySavings: number; reason: Part[] }[];
}

export type NarrativeCheck = { ok: true; narrative: RenderedNarrative } | { ok: false; problems: string[] };

/** Checks the model's answer and renders it; any problem refuses the whole narrative. */
export function checkNarrative(content: string, facts: AuditFacts): NarrativeCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { ok: false, problems: ['the answer is not JSON'] };
  }
  const answer = parsed as { summary?: unknown; plan?: unknown };
  if (typeof answer !== 'object' || answer === null || typeof answer.summary !== 'string') {
    return { ok: false, problems: ['"summary" must be a string'] };
  }
  if (!Array.isArray(answer.plan)) return { ok: false, problems: ['"plan" must be an array'] };
  const problems: string[] = [];
  const summary = answer.summary.trim();
  if (summary === '') problems.push('"summary" is empty');
  if (summary.length > MAX_SUMMARY) problems.push(`"summary" is longer than ${MAX_SUMMARY} characters`);
  if (answer.plan.length > MAX_PLAN) problems.push(`"plan" has more than ${MAX_PLAN} steps`);
  problems.push(...problemsOf(summary, facts.facts, facts.names).map((p) => `summary: ${p}`));
  const seen = new Set<number>();
  const plan: RenderedNarrative['plan'] = [];
  answer.plan.forEach((step: unknown, i) => {
    const { recommendation, reason } = (step ?? {}) as { recommendation?: unknown; reason?: unknown };
    const index =
      typeof recommendation === 'string' && /^R\d+$/.test(recommendation) ? Number(recommendation.slice(1)) - 1 : -1;
    const known = facts.recommendations[index];
    if (!known) return problems.push(`plan ${i + 1}: "${String(recommendation)}" is not a recommendation of the input`);
    if (seen.has(index)) return problems.push(`plan ${i + 1}: ${String(recommendation)} is in the plan twice`);
    seen.add(index);
    if (typeof reason !== 'string' || reason.trim() === '') return problems.push(`plan ${i + 1}: "reason" is empty`);
    if (reason.length > MAX_REASON) problems.push(`plan ${i + 1}: "reason" is longer than ${MAX_REASON} characters`);
    problems.push(...problemsOf(reason, facts.facts, facts.names).map((p) => `plan ${i + 1}: ${p}`));
    plan.push({ recommendation: index, ...known, reason: render(reason.trim(), facts.facts, facts.names).parts });
  });
  if (problems.length) return { ok: false, problems: [...new Set(problems)] };
  return { ok: true, narrative: { summary: render(summary, facts.facts, facts.names).parts, plan } };
}

/** The user message: the analysis, and the question when there is one. */
export function userMessage(facts: AuditFacts, question?: string): string {
  const analysis = `Analysis:\n${JSON.stringify(facts.input)}`;
  return question === undefined ? analysis : `${analysis}\n\nQuestion: ${question}`;
}

/**
 * Why a narrative was refused, without the model's words (for the log and the stored reason:
 * a call is logged without its content): how many problems of each kind.
 */
export function refusalSummary(problems: readonly string[]): string {
  const kinds: [string, RegExp][] = [
    ['numbers of its own', /is a number of its own/],
    ['unknown references', /is not a (reference|recommendation) of the input/],
    ['stray braces', /a brace outside a reference/],
    ['not JSON', /not JSON/],
  ];
  const counts = new Map<string, number>();
  for (const problem of problems) {
    const kind = kinds.find(([, pattern]) => pattern.test(problem))?.[0] ?? 'other problems';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, n]) => `${kind}: ${n}`).join(', ');
}

/** What the model is told when its narrative was refused (it answers once more). */
export function retryMessage(problems: readonly string[]): string {
  return `That answer was refused:\n- ${problems.slice(0, 10).join('\n- ')}\nAnswer again with JSON only, following the rules: no number of your own, only references from the input.`;
}
