/**
 * The model's words and the engine's figures (domain/ai/): what a user relies on is that
 * every figure shown is the engine's. Generated texts: checked ones render with no digit but
 * the facts' and the known names'; a text with a figure of its own is refused; an answer
 * streamed in any pieces renders exactly as the whole does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { auditFacts } from '../../src/domain/ai/facts.js';
import { checkNarrative } from '../../src/domain/ai/narrative.js';
import { problemsOf, render, StreamingRenderer, type Part } from '../../src/domain/ai/references.js';
import { analyze } from '../../src/domain/analysis/engine.js';
import type { StackData } from '../../src/domain/analysis/stack.js';

const STACK: StackData = {
  currency: 'EUR',
  employeeCount: 40,
  tools: [
    { name: 'Slack', monthlyCost: 175, seats: 20, activeSeats: 5, owner: 'Jane Doe', notes: 'ask Bob' },
    { name: 'Microsoft 365', monthlyCost: 120, seats: 10, activeSeats: 10, renewalDate: '2027-01-10' },
    { name: 'Microsoft Teams', monthlyCost: 200, seats: 50, activeSeats: 5, department: 'Floor 2 East' },
    { name: '1Password', monthlyCost: 80, seats: 10, activeSeats: 4 },
  ],
};
const analysis = analyze({ stack: STACK, today: '2026-12-01' });
const facts = auditFacts(analysis, STACK, { includePeopleNames: false });
const ids = [...facts.facts.keys()];
const text = (parts: Part[]) => parts.map((p) => p.text).join('');

/** Words a model might write: plain words, references (known and not), names with digits, numbers of its own. */
const word = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('save', 'the', 'seats', 'first', 'and', 'on', ':', ',', '.', '\n') },
  { weight: 4, arbitrary: fc.constantFrom(...ids).map((id) => `{${id}}`) },
  { weight: 2, arbitrary: fc.constantFrom('Microsoft 365', '1Password', 'microsoft 365', 'Floor 2 East') },
  { weight: 1, arbitrary: fc.constantFrom('{R99}', '{total}', '{', '}') },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.nat(100_000).map(String),
      fc.constantFrom(
        '12%',
        '3.5',
        '1,200',
        '2027-01-10',
        '３００',
        '½',
        'twenty',
        'Hundred',
        'half',
        'twice',
        'fifteen',
      ),
    ),
  },
);
const modelText = fc.array(word, { maxLength: 40 }).map((words) => words.join(' '));

/** The text with every fact's text and known name taken out: what must hold no digit. */
function strip(shown: string): string {
  let rest = shown;
  const known = [...[...facts.facts.values()].map((f) => f.text), ...facts.names].sort((a, b) => b.length - a.length);
  for (const k of known) rest = rest.split(k).join(' ').split(k.toLowerCase()).join(' ');
  return rest;
}

describe('references to the engine’s figures', () => {
  it('the facts cover the analysis: totals, each recommendation and its saving, renewals, tools; no owner, no notes', () => {
    expect(facts.facts.get('total.monthly')!.text).toBe('€575.00');
    expect(facts.facts.get('R1')).toEqual({
      id: 'R1',
      text: analysis.recommendations[0]!.title,
      recommendation: 0,
      money: null,
    });
    expect(facts.facts.get('total.monthly')!.money).toEqual({ amount: 575, currency: 'EUR' });
    expect(facts.facts.get('R1.savings')!.text).toBe(
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(
        analysis.recommendations[0]!.estimatedMonthlySavings,
      ),
    );
    expect(facts.facts.get('N1')!.text).toBe('Microsoft 365 renewing on 2027-01-10');
    expect(facts.names).toEqual(expect.arrayContaining(['Microsoft 365', '1Password', 'Floor 2 East']));
    const input = JSON.stringify(facts.input);
    expect(input).not.toContain('Jane Doe');
    expect(input).not.toContain('ask Bob');
    expect(JSON.stringify(auditFacts(analysis, STACK, { includePeopleNames: true }).input)).toContain('Jane Doe');
  });

  it('each tool’s renewal is its next one (a passed date rolled forward), matched by the tool’s place in the stack', () => {
    // The facts list tools dearest first: the cheaper tool, first in the stack, is second there.
    const stack: StackData = {
      tools: [
        { name: 'Zoom', monthlyCost: 10, billingCycle: 'monthly', renewalDate: '2026-06-15' },
        { name: 'Slack', monthlyCost: 500, renewalDate: '2027-03-01' },
      ],
    };
    const dated = auditFacts(analyze({ stack, today: '2026-12-01' }), stack, { includePeopleNames: false });
    const tools = dated.input.tools as { name: string; renewalDate: string | null }[];
    expect(tools.map((t) => [t.name, t.renewalDate])).toEqual([
      ['Slack', '2027-03-01'],
      ['Zoom', '2026-12-15'],
    ]);
  });

  it('whatever the model writes, what is shown holds no digit but the engine’s figures and known names', () => {
    fc.assert(
      fc.property(modelText, (written) => {
        const { parts, removed } = render(written, facts.facts, facts.names);
        expect(strip(text(parts))).not.toMatch(/\p{Nd}|½|\b(twenty|hundred|half|twice|fifteen)\b/iu);
        // Every part that claims a fact shows exactly that fact.
        for (const part of parts.filter((p) => p.ref !== null))
          expect(part.text).toBe(facts.facts.get(part.ref!)!.text);
        if (problemsOf(written, facts.facts, facts.names).length === 0) expect(removed).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('a text is accepted exactly when it has no figure of its own, no unknown reference and no stray brace', () => {
    fc.assert(
      fc.property(modelText, (written) => {
        const problems = problemsOf(written, facts.facts, facts.names);
        const withoutNames = facts.names.reduce((t, n) => t.split(n).join('').split(n.toLowerCase()).join(''), written);
        const own = withoutNames.replace(/\{[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z]+)?\}/g, (m) =>
          facts.facts.has(m.slice(1, -1)) ? '' : '?',
        );
        expect(problems.length === 0).toBe(!/[\p{Nd}{}?½]|\b(twenty|hundred|half|twice|fifteen)\b/iu.test(own));
      }),
      { numRuns: 500 },
    );
  });

  it('an answer streamed in any pieces shows what the whole text renders to', () => {
    fc.assert(
      fc.property(modelText, fc.array(fc.nat(12), { maxLength: 60 }), (written, cuts) => {
        const renderer = new StreamingRenderer(facts.facts, facts.names);
        const shown: Part[] = [];
        let at = 0;
        for (const size of cuts) {
          if (at >= written.length) break;
          shown.push(...renderer.push(written.slice(at, at + size + 1)));
          at += size + 1;
        }
        shown.push(...renderer.push(written.slice(at)), ...renderer.end());
        const whole = render(written, facts.facts, facts.names);
        expect(text(shown)).toBe(text(whole.parts));
        expect(renderer.removed).toBe(whole.removed);
        expect([...renderer.cited].sort()).toEqual([...whole.cited].sort());
      }),
      { numRuns: 500 },
    );
  });
});

describe('numbers of the model’s own', () => {
  const problems = (t: string) => problemsOf(t, facts.facts, facts.names);
  it('in words or in any digits are refused; a name’s digits only where the whole name stands', () => {
    expect(problems('Save about two hundred dollars, half of it on {T1}.')).toEqual([
      '"two" is a number of its own: write a figure\'s reference',
      '"hundred" is a number of its own: write a figure\'s reference',
      '"half" is a number of its own: write a figure\'s reference',
    ]);
    expect(problems('Save ３００ a month.')).toHaveLength(1);
    expect(problems('One of them: Microsoft 365, 1Password and Floor 2 East.')).toEqual([]);
    expect(problems('Microsoft 3650 seats.')).toEqual(['"3650" is a number of its own: write a figure\'s reference']);
    expect(problems('Microsoft 365-40 licences.')).toHaveLength(1);
    expect(problems('Password1Password')).toHaveLength(1); // not the name as a word
  });

  it('a name of digits alone lets no number through', () => {
    const stack: StackData = {
      tools: [{ name: 'Slack', monthlyCost: 10, seats: 2, activeSeats: 2, department: '2024' }],
    };
    const own = auditFacts(analyze({ stack, today: '2026-12-01' }), stack, { includePeopleNames: false });
    expect(own.names).toContain('2024');
    expect(problemsOf('Since 2024.', own.facts, own.names)).toHaveLength(1);
  });

  it('active seats are the ones the analysis used: measured by an identity provider where it had them', () => {
    const measured = analyze({ stack: STACK, today: '2026-12-01' });
    measured.costAnalysis.usage = [
      {
        tool: 'Slack',
        provider: 'okta',
        syncedAt: '2026-11-30T00:00:00.000Z',
        listedActiveSeats: 5,
        activeSeats: 3,
        active30: 3,
        active90: 3,
        assigned: 20,
        purchased: null,
      },
    ];
    const withUsage = auditFacts(measured, STACK, { includePeopleNames: false });
    const slack = [...withUsage.facts.values()].find((f) => f.text === 'Slack')!.id;
    expect(withUsage.facts.get(`${slack}.active`)!.text).toBe('3');
    expect(facts.facts.get(`${slack}.active`)!.text).toBe('5');
  });
});

describe('the narrative', () => {
  it('is rendered with the engine’s figures, or refused with what is wrong', () => {
    const good = checkNarrative(
      JSON.stringify({
        summary: 'You spend {total.monthly}.',
        plan: [{ recommendation: 'R1', reason: 'It saves {R1.savings}.' }],
      }),
      facts,
    );
    expect(good.ok && text(good.narrative.summary)).toBe('You spend €575.00.');
    expect(good.ok && good.narrative.plan[0]).toMatchObject({
      recommendation: 0,
      title: analysis.recommendations[0]!.title,
      monthlySavings: analysis.recommendations[0]!.estimatedMonthlySavings,
    });
    // Fenced JSON, as some local models write it, is read.
    expect(checkNarrative('```json\n{"summary":"Fine.","plan":[]}\n```', facts).ok).toBe(true);
    const bad = (answer: unknown) => {
      const checked = checkNarrative(typeof answer === 'string' ? answer : JSON.stringify(answer), facts);
      return checked.ok ? [] : checked.problems;
    };
    expect(bad('no json')).toEqual(['the answer is not JSON']);
    expect(bad({ summary: 'Save 40 a month.', plan: [] })).toEqual([
      'summary: "40" is a number of its own: write a figure\'s reference',
    ]);
    expect(bad({ summary: 'Keep Microsoft 365 and 1Password.', plan: [] })).toEqual([]);
    expect(
      bad({
        summary: 'Ok.',
        plan: [
          { recommendation: 'R1', reason: 'a' },
          { recommendation: 'R1', reason: 'b' },
        ],
      }),
    ).toEqual(['plan 2: R1 is in the plan twice']);
    expect(bad({ summary: '', plan: 'no' })).toEqual(['"plan" must be an array']);
    expect(bad({ summary: ' ', plan: [] })).toEqual(['"summary" is empty']);
  });
});
