/**
 * The AI of an audit (/api/ai, /api/audits/:id/narrative, …/questions): whether this server and
 * organization use a model, the narrative of an audit's analysis, and questions answered as a
 * stream. Every figure in them is the engine's (the server writes them in).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ApiError, postForEvents, serverSentEvents } from './client';
import type { AiPart, AiStatus, AnswerDelta, AnswerDone, AnswerError, Narrative } from './types';

export const aiKeys = {
  /** Everything of the AI: changing the organization's AI settings makes it all stale. */
  all: () => ['ai'] as const,
  status: () => ['ai', 'status'] as const,
  /** The narrative of an analysis: a new analysis of the audit is a new narrative. */
  narrative: (auditId: string, analysisId: string | null) => ['ai', 'narrative', auditId, analysisId] as const,
};

/** Whether a model is configured (`available`) and the organization uses it (`enabled`); the budget for admins. */
export function useAiStatus() {
  return useQuery({
    queryKey: aiKeys.status(),
    queryFn: () => api<AiStatus>('GET', '/api/ai'),
    staleTime: 60_000,
  });
}

/**
 * The narrative of the audit's latest analysis (not asked while `enabled` is false), asked
 * again every 3 seconds while it is being written. `analysisId`: the analysis the page shows,
 * so that a new one is asked for its own.
 */
export function useNarrative(auditId: string, enabled: boolean, analysisId: string | null = null) {
  return useQuery({
    queryKey: aiKeys.narrative(auditId, analysisId),
    queryFn: () => api<Narrative>('GET', `/api/audits/${auditId}/narrative`),
    enabled,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 3000 : false),
  });
}

/** What an answer's stream says, in order: pieces of the answer, then its end or an error. */
export type AnswerEvent =
  | { type: 'delta'; parts: AiPart[] }
  | { type: 'done'; done: AnswerDone }
  | { type: 'error'; code: string; message: string };

/**
 * Asks a question about an audit and reads the answer as it is written: `onEvent` gets each
 * piece, then `done` (or `error`). A request refused before the answer starts throws an
 * ApiError; `signal` cancels the request (an AbortError is thrown).
 */
export async function askQuestion(
  auditId: string,
  question: string,
  onEvent: (event: AnswerEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = await postForEvents(`/api/audits/${auditId}/questions`, { question }, signal);
  for await (const { event, data } of serverSentEvents(response)) {
    if (event === 'delta') {
      onEvent({ type: 'delta', parts: (JSON.parse(data) as AnswerDelta).parts });
    } else if (event === 'done') {
      onEvent({ type: 'done', done: JSON.parse(data) as AnswerDone });
      return;
    } else if (event === 'error') {
      const { error } = JSON.parse(data) as AnswerError;
      onEvent({ type: 'error', code: error.code, message: error.message });
      return;
    }
  }
  onEvent({ type: 'error', code: 'incomplete', message: 'The answer stopped before its end. Please ask again.' });
}

/** An answer as it stands: the question, its pieces so far, its end, or what went wrong. */
export interface Answer {
  question: string;
  parts: AiPart[];
  done: AnswerDone | null;
  error: Error | null;
  answering: boolean;
}

/**
 * Questions about an audit, one at a time: `ask` cancels the answer under way, if any, and
 * starts another; leaving the page cancels it too. Once an answer is done, the AI status (the
 * tokens used today) is fetched again.
 */
export function useQuestion(auditId: string) {
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const current = useRef<AbortController | null>(null);
  useEffect(() => () => current.current?.abort(), []);

  const ask = useCallback(
    (question: string) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      const update = (change: (a: Answer) => Answer) => {
        if (!controller.signal.aborted) setAnswer((a) => (a ? change(a) : a));
      };
      setAnswer({ question, parts: [], done: null, error: null, answering: true });
      askQuestion(
        auditId,
        question,
        (event) => {
          switch (event.type) {
            case 'delta':
              update((a) => ({ ...a, parts: [...a.parts, ...event.parts] }));
              break;
            case 'done':
              update((a) => ({ ...a, done: event.done, answering: false }));
              void queryClient.invalidateQueries({ queryKey: aiKeys.status() });
              break;
            case 'error':
              update((a) => ({ ...a, error: new ApiError(200, event.code, event.message), answering: false }));
              break;
          }
        },
        controller.signal,
      ).then(
        () => update((a) => ({ ...a, answering: false })),
        (error: unknown) =>
          update((a) => ({
            ...a,
            error: error instanceof Error ? error : new Error('The question could not be asked.'),
            answering: false,
          })),
      );
    },
    [auditId, queryClient],
  );

  /** Stops the answer under way (what was written so far stays). */
  const stop = useCallback(() => {
    current.current?.abort();
    setAnswer((a) => (a ? { ...a, answering: false } : a));
  }, []);

  return { answer, ask, stop };
}
