/** The AI narrative and an answer's events as the contract states them. */
import type { Part } from '../../../domain/ai/references.js';
import type { AnswerEvent, NarrativeView } from '../../../services/ai.service.js';
import { iso } from '../../present.js';
import type { NarrativeJson } from './contract.js';

export function presentNarrative(view: NarrativeView): NarrativeJson {
  if (view.status !== 'ready') {
    return { status: view.status, analysisId: view.analysisId, model: null, createdAt: null, summary: [], plan: [] };
  }
  return {
    status: 'ready',
    analysisId: view.analysisId,
    model: view.model,
    createdAt: iso(view.createdAt),
    summary: parts(view.narrative.summary),
    plan: view.narrative.plan.map((step) => ({ ...step, reason: parts(step.reason) })),
  };
}

/** Parts as stored: a narrative stored before parts carried `money` has none. */
const parts = (stored: readonly Part[]): Part[] => stored.map((p) => ({ ...p, money: p.money ?? null }));

/** An answer as server-sent events: `event: delta|done|error` with its JSON on one `data:` line. */
export async function* serverSentEvents(events: AsyncIterable<AnswerEvent>): AsyncGenerator<string> {
  for await (const { event, ...data } of events) yield `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
