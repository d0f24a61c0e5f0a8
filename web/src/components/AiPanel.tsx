/**
 * The AI of the audit page: a written summary of the analysis with a suggested order, and
 * questions answered about the audit. Shown only when the server has a model and the
 * organization uses it; never on a public link. The model writes words, the engine the
 * figures: a part with a `ref` was written in by the server and is shown emphasised.
 */
import { Fragment, useState, type FormEvent, type ReactNode } from 'react';

import { useAiStatus, useNarrative, useQuestion, type Answer } from '../api/ai';
import type { AiPart } from '../api/types';
import { money } from '../format';
import { recommendationAnchor } from './AnalysisView';
import { Field } from './Field';
import { ErrorNotice, Loading } from './Status';

/** A recommendation named in a text: a link to its card on the page. */
function RecommendationLink({ index, children }: { index: number; children: ReactNode }) {
  return <a href={`#${recommendationAnchor(index)}`}>{children}</a>;
}

/** The model's words and the engine's facts, the facts emphasised. */
function Parts({ parts }: { parts: readonly AiPart[] }) {
  return (
    <>
      {parts.map((part, i) => {
        // A sum of money is written the way the rest of the page writes it (the reader's locale).
        const shown = part.money ? money(part.money.amount, part.money.currency) : part.text;
        const text = part.ref === null && part.recommendation === null ? shown : <strong>{shown}</strong>;
        return (
          <Fragment key={i}>
            {part.recommendation === null ? (
              text
            ) : (
              <RecommendationLink index={part.recommendation}>{text}</RecommendationLink>
            )}
          </Fragment>
        );
      })}
    </>
  );
}

/**
 * The narrative of the analysis the page shows (`analysisId`): nothing while it is off or there
 * is none, "Writing a summary…" while it is written.
 */
export function AiSummary({
  auditId,
  analysisId,
  currency,
}: {
  auditId: string;
  analysisId: string;
  currency: string;
}) {
  const status = useAiStatus();
  const enabled = status.data?.enabled === true;
  const narrative = useNarrative(auditId, enabled, analysisId);
  if (!enabled || narrative.isPending) return null;
  if (!narrative.isError && (narrative.data.status === 'off' || narrative.data.status === 'none')) return null;
  // A narrative of another analysis than the page shows (a newer one finished meanwhile) would not match its figures.
  if (!narrative.isError && narrative.data.analysisId !== analysisId) return null;
  return (
    <section aria-labelledby="ai-summary-heading" className="ai">
      <h2 id="ai-summary-heading">AI summary</h2>
      {narrative.isError ? (
        <ErrorNotice error={narrative.error} />
      ) : narrative.data.status === 'pending' ? (
        <Loading what="Writing a summary" />
      ) : (
        <>
          <p data-testid="ai-summary">
            <Parts parts={narrative.data.summary} />
          </p>
          {narrative.data.plan.length > 0 && (
            <>
              <h3 id="ai-plan-heading">Suggested order</h3>
              <ol aria-labelledby="ai-plan-heading">
                {narrative.data.plan.map((step) => (
                  <li key={step.recommendation}>
                    <RecommendationLink index={step.recommendation}>
                      <strong>{step.title}</strong>
                    </RecommendationLink>{' '}
                    · saves <strong>{money(step.monthlySavings, currency)}</strong> a month
                    <div>
                      <Parts parts={step.reason} />
                    </div>
                  </li>
                ))}
              </ol>
            </>
          )}
          <p className="muted">
            <small>
              Written by {narrative.data.model ?? 'a language model'}; every figure comes from StackAudit&apos;s
              analysis.
            </small>
          </p>
        </>
      )}
    </section>
  );
}

function AnswerView({ answer, currency }: { answer: Answer; currency: string }) {
  const removed = answer.done?.removedNumbers ?? 0;
  return (
    <>
      <p className="muted">{answer.question}</p>
      {(answer.parts.length > 0 || answer.answering) && (
        <p data-testid="ai-answer">
          <Parts parts={answer.parts} />
          {answer.answering && answer.parts.length === 0 && <span aria-busy="true">Writing the answer…</span>}
        </p>
      )}
      {answer.error && <ErrorNotice error={answer.error} />}
      {answer.done && answer.done.citations.length > 0 && (
        <p className="muted" data-testid="ai-citations">
          Based on:{' '}
          {answer.done.citations.map((c, i) => (
            <Fragment key={c.recommendation}>
              {i > 0 && '; '}
              <RecommendationLink index={c.recommendation}>{c.title}</RecommendationLink> (
              {money(c.monthlySavings, currency)} a month)
            </Fragment>
          ))}
          .
        </p>
      )}
      {removed > 0 && (
        <p className="muted">
          {removed === 1 ? '1 figure the model wrote itself was' : `${removed} figures the model wrote itself were`}{' '}
          left out: StackAudit shows only its own figures.
        </p>
      )}
    </>
  );
}

/** A question about the audit, answered as it is written (one at a time; a new one cancels the last). */
export function AskAboutAudit({ auditId, currency }: { auditId: string; currency: string }) {
  const status = useAiStatus();
  const { answer, ask, stop } = useQuestion(auditId);
  const [question, setQuestion] = useState('');
  if (status.data?.enabled !== true) return null;
  const answering = answer?.answering ?? false;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = question.trim();
    if (text) ask(text);
  };
  return (
    <section aria-labelledby="ai-ask-heading" className="ai">
      <h2 id="ai-ask-heading">Ask about this audit</h2>
      <form onSubmit={submit} aria-label="Ask about this audit">
        <Field label="Your question">
          <textarea
            name="question"
            rows={2}
            maxLength={1000}
            required
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
            placeholder="Which change should we make first?"
          />
        </Field>
        <div className="actions">
          <button type="submit" disabled={answering || question.trim() === ''} aria-busy={answering}>
            Ask
          </button>
          {answering && (
            <button type="button" className="secondary outline" onClick={stop}>
              Stop
            </button>
          )}
        </div>
      </form>
      <div role="region" aria-label="Answer" aria-live="polite" className="ai-answer">
        {answer && <AnswerView answer={answer} currency={currency} />}
      </div>
    </section>
  );
}
