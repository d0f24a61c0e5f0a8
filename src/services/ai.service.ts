/**
 * The AI narrative of an analysis and questions about an audit, through an OpenAI-compatible
 * endpoint (AI_*; off without one, and per organization by `settings.aiEnabled`). The model
 * is given the engine's analysis and refers to its figures by reference; the server writes
 * the figures in (domain/ai/), so every figure shown is the engine's. Each call holds its
 * estimated tokens against the organization's daily budget before it starts (the
 * organization's row locked: concurrent calls cannot pass it together), is recorded with its
 * tokens, latency and model — never its content — and reported to `onCall` for the log.
 */
import { Value } from 'typebox/value';

import type { Config } from '../config.js';
import { transaction, type Database } from '../db/database.js';
import { StackDataSchema } from '../domain/analysis/stack.js';
import { auditFacts, type AuditFacts, type StoredAnalysis } from '../domain/ai/facts.js';
import {
  ANSWER_SYSTEM,
  checkNarrative,
  NARRATIVE_JSON_SCHEMA,
  NARRATIVE_SYSTEM,
  refusalSummary,
  retryMessage,
  userMessage,
  type RenderedNarrative,
} from '../domain/ai/narrative.js';
import { StreamingRenderer, type Part } from '../domain/ai/references.js';
import { secondsUntilNextDayIn, todayIn } from '../domain/days.js';
import { readSettings } from '../domain/organization-settings.js';
import { AppError, UnprocessableError } from '../errors.js';
import {
  AiCallError,
  AiCancelled,
  AiClient,
  type ChatMessage,
  type Completion,
  type TokenUsage,
} from '../integrations/ai-client.js';
import { isAdmin } from '../policies/organization.policy.js';
import { AiCallRepository, type AiCall, type FinishedAiCall } from '../repositories/ai-call.repository.js';
import { AiNarrativeRepository, type ClaimedNarrative } from '../repositories/ai-narrative.repository.js';
import { OrganizationRepository } from '../repositories/organization.repository.js';
import type { Actor } from './actor.js';
import { openAudit, openAuditWithAnalysis } from './audit-access.js';
import { RateLimiter } from './rate-limit.service.js';

/** Tokens a narrative and an answer may have. */
const NARRATIVE_TOKENS = 1_200;
const ANSWER_TOKENS = 700;
/** Claims of one narrative before it is given up (the endpoint down each time, or a crash). */
const MAX_NARRATIVE_ATTEMPTS = 4;
const NARRATIVES_AT_ONCE = 2;

/** A queued narrative claimed for writing. */
export type { ClaimedNarrative };

/** What one call to the model is logged with: never its content. */
export interface AiCallRecord extends FinishedAiCall {
  organizationId: string;
  auditId: string | null;
  kind: AiCall['kind'];
  model: string;
}

export interface AiStatus {
  available: boolean;
  enabled: boolean;
  model: string | null;
  budget: { dailyTokens: number; usedToday: number; day: string } | null;
}

export type NarrativeView =
  | { status: 'off' | 'none' | 'pending'; analysisId: string | null }
  | { status: 'ready'; analysisId: string; model: string | null; createdAt: Date | null; narrative: RenderedNarrative };

/** An answer about to stream: its events, and what to do if its reader goes before it begins. */
export interface Answer {
  events: AsyncGenerator<AnswerEvent>;
  cancel(): Promise<void>;
}

export type AnswerEvent =
  | { event: 'delta'; parts: Part[] }
  | {
      event: 'done';
      citations: { recommendation: number; title: string; monthlySavings: number }[];
      removedNumbers: number;
      tokens: number;
    }
  | { event: 'error'; error: { code: string; message: string } };

/**
 * A generous count of a text's tokens: what a call holds of the budget before it starts, and
 * what is recorded where the server reports none. Common tokenizers make about four
 * characters of English a token, and JSON with figures about three: three errs on the high
 * side, so calls held together do not pass the budget. (A tokenizer per model would be exact;
 * none fits every OpenAI-compatible server.)
 */
const estimateTokens = (text: string) => Math.ceil(text.length / 3);
const estimatePrompt = (messages: readonly ChatMessage[]) => estimateTokens(messages.map((m) => m.content).join(''));

class BudgetSpent extends AppError {
  constructor(day: string, timeZone: string) {
    super(
      429,
      'ai_budget_exhausted',
      `Your organization has used its AI tokens for today (${day}, ${timeZone}). It can ask again tomorrow.`,
      undefined,
      { 'retry-after': String(secondsUntilNextDayIn(timeZone)) },
    );
  }
}

export class AiService {
  private readonly client: AiClient | null;
  /** Told of every call to the model (the server logs it). */
  onCall: (record: AiCallRecord) => void = () => {};

  constructor(
    private readonly database: Database,
    private readonly config: Config,
  ) {
    this.client = config.ai ? new AiClient(config.ai) : null;
  }

  /** Whether new analyses of this organization get a narrative (the analysis queues it). */
  narrativesFor(settings: Record<string, unknown> | null): boolean {
    return this.client !== null && readSettings(settings).aiEnabled;
  }

  async status(actor: Actor): Promise<AiStatus> {
    const settings = readSettings(actor.organization.settings);
    if (!this.client || !this.config.ai) return { available: false, enabled: false, model: null, budget: null };
    const day = todayIn(settings.timeZone);
    const budget = isAdmin(actor)
      ? {
          dailyTokens: this.config.ai.dailyTokens,
          usedToday: await new AiCallRepository(this.database.db).tokensOn(actor.organization.id, day),
          day,
        }
      : null;
    return { available: true, enabled: settings.aiEnabled, model: this.client.model, budget };
  }

  /** The narrative of the audit's latest analysis (view access). */
  async narrative(actor: Actor, auditId: string): Promise<NarrativeView> {
    await openAudit(this.database.db, actor, auditId, 'view');
    if (!this.narrativesFor(actor.organization.settings)) return { status: 'off', analysisId: null };
    const latest = await new AiNarrativeRepository(this.database.db).latestForAudit(actor.organization.id, auditId);
    if (!latest) return { status: 'none', analysisId: null };
    if (latest.status === 'ready') {
      return {
        status: 'ready',
        analysisId: latest.analysisId,
        model: latest.model,
        createdAt: latest.updatedAt,
        narrative: latest.content as RenderedNarrative,
      };
    }
    return { status: latest.status === 'pending' ? 'pending' : 'none', analysisId: latest.analysisId };
  }

  /**
   * A question about an audit (view access): checked, counted against the organization's rate
   * limit and budget before anything is sent (errors are thrown here, before the answer
   * starts); then the answer, streamed as events.
   */
  async ask(actor: Actor, auditId: string, question: string, signal: AbortSignal): Promise<Answer> {
    // The audit first: another organization's is a 404 whatever else holds.
    const opened = await openAuditWithAnalysis(this.database.db, actor, auditId, 'view');
    const client = this.client;
    const config = this.config.ai;
    if (!client || !config) throw new AppError(503, 'ai_unavailable', 'No AI model is configured on this server.');
    const settings = readSettings(actor.organization.settings);
    if (!settings.aiEnabled)
      throw new UnprocessableError('ai_disabled', 'An admin turned AI off for your organization.');
    const analysis = opened.analysis;
    if (!analysis?.summary || !analysis.recommendations || !analysis.costAnalysis) {
      throw new UnprocessableError('not_analysed', 'This audit has no analysis yet: questions are answered from it.');
    }
    const stack: unknown = opened.audit.stackData === null ? null : JSON.parse(opened.audit.stackData);
    const facts = auditFacts(
      {
        summary: JSON.parse(analysis.summary) as unknown,
        recommendations: JSON.parse(analysis.recommendations) as unknown,
        costAnalysis: JSON.parse(analysis.costAnalysis) as unknown,
        riskAssessment: analysis.riskAssessment === null ? null : (JSON.parse(analysis.riskAssessment) as unknown),
      } as StoredAnalysis,
      Value.Check(StackDataSchema, stack) ? stack : null,
      { includePeopleNames: settings.aiIncludePeopleNames },
    );
    const limiter = new RateLimiter(this.database.db);
    const limitKey = `ai-question:${actor.organization.id}`;
    await limiter.consume(limitKey, config.questionsPerOrganization);
    const messages: ChatMessage[] = [
      { role: 'system', content: ANSWER_SYSTEM },
      { role: 'user', content: userMessage(facts, question) },
    ];
    let call: AiCall;
    try {
      call = await this.reserve(actor.organization.id, settings.timeZone, {
        auditId,
        userId: actor.user.id,
        kind: 'question',
        reservedTokens: estimatePrompt(messages) + ANSWER_TOKENS,
      });
    } catch (error) {
      // Refused for the budget: the question was not asked, so it does not count against the rate limit.
      if (error instanceof BudgetSpent) await limiter.refund(limitKey);
      throw error;
    }
    // A reader gone before the answer began: the generator's own `finally` never runs, so `cancel` records it.
    const state = { begun: false, cancelled: false };
    return {
      events: this.answer(client, call, messages, facts, signal, state),
      cancel: async () => {
        if (state.begun || state.cancelled) return;
        state.cancelled = true;
        await this.finish(call, performance.now(), 'cancelled', null, messages, '');
      },
    };
  }

  private async *answer(
    client: AiClient,
    call: AiCall,
    messages: ChatMessage[],
    facts: AuditFacts,
    signal: AbortSignal,
    state: { begun: boolean; cancelled: boolean },
  ): AsyncGenerator<AnswerEvent> {
    if (state.cancelled) return;
    state.begun = true;
    const started = performance.now();
    const renderer = new StreamingRenderer(facts.facts, facts.names);
    let usage: TokenUsage | null = null;
    let written = '';
    let outcome: AiCallRecord['outcome'] = 'ok';
    let ended = false;
    let tokens = 0;
    try {
      for await (const piece of client.stream(messages, ANSWER_TOKENS, signal)) {
        if ('usage' in piece) usage = piece.usage;
        else {
          written += piece.text;
          const parts = renderer.push(piece.text);
          if (parts.length) yield { event: 'delta', parts };
        }
      }
      // The package ends a stream it was told to abort without an error: that is a reader gone.
      if (signal.aborted) outcome = 'cancelled';
      else {
        const rest = renderer.end();
        if (rest.length) yield { event: 'delta', parts: rest };
      }
      ended = true;
    } catch (error) {
      outcome = error instanceof AiCancelled || signal.aborted ? 'cancelled' : 'failed';
      ended = true;
      if (outcome === 'failed') {
        const message =
          error instanceof AiCallError
            ? `No answer: ${error.message}. Try again later.`
            : 'No answer: the call failed.';
        yield { event: 'error', error: { code: 'ai_failed', message } };
      }
    } finally {
      // Not ended: the reader went away between two pieces (the stream was closed at a yield).
      if (!ended) outcome = 'cancelled';
      tokens = await this.finish(call, started, outcome, usage, messages, written);
    }
    if (outcome === 'ok') {
      yield {
        event: 'done',
        citations: [...renderer.cited]
          .sort((a, b) => a - b)
          .map((index) => ({ recommendation: index, ...facts.recommendations[index]! })),
        removedNumbers: renderer.removed,
        tokens,
      };
    }
  }

  /** Holds `reservedTokens` of today's budget for a call about to start; 429 when they are not there. */
  private async reserve(
    organizationId: string,
    timeZone: string,
    call: { auditId: string | null; userId: string | null; kind: AiCall['kind']; reservedTokens: number },
  ): Promise<AiCall> {
    const config = this.config.ai!;
    const day = todayIn(timeZone);
    return transaction(this.database.db, async (tx) => {
      await new OrganizationRepository(tx).lockForUpdate(organizationId);
      const calls = new AiCallRepository(tx);
      const used = await calls.tokensOn(organizationId, day);
      if (used + call.reservedTokens > config.dailyTokens) throw new BudgetSpent(day, timeZone);
      return calls.start(organizationId, { ...call, model: config.model, day });
    });
  }

  /** Records what a call used (estimated where the server said nothing) and tells `onCall`; returns its tokens. */
  private async finish(
    call: AiCall,
    started: number,
    outcome: AiCallRecord['outcome'],
    usage: TokenUsage | null,
    messages: ChatMessage[],
    written: string,
  ): Promise<number> {
    // A call that failed or was cancelled before any answer is counted as nothing: an outage must not spend the budget.
    const nothing = usage === null && written === '' && outcome !== 'ok' && outcome !== 'refused';
    const promptTokens = usage?.promptTokens ?? (nothing ? 0 : estimatePrompt(messages));
    const completionTokens = usage?.completionTokens ?? estimateTokens(written);
    const record: AiCallRecord = {
      organizationId: call.organizationId,
      auditId: call.auditId,
      kind: call.kind,
      model: call.model,
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      tokensEstimated: usage === null,
      latencyMs: Math.round(performance.now() - started),
      outcome,
    };
    await new AiCallRepository(this.database.db).finish(call.organizationId, call.id, record);
    this.onCall(record);
    return record.totalTokens;
  }

  // --- Narratives (the worker) ---------------------------------------------------------------

  /**
   * How long a claimed narrative is held: its longest run is two rounds of a call and the
   * package's one retry, each up to AI_TIMEOUT_MS, and a minute for the rest. A run still
   * going when the lease ends could be taken twice: the writes are fenced by the claim.
   */
  private narrativeLeaseSeconds(): number {
    return Math.ceil((4 * (this.config.ai?.timeoutMs ?? 60_000)) / 1000) + 60;
  }

  claimNarratives(): Promise<ClaimedNarrative[]> {
    return new AiNarrativeRepository(this.database.db).claimDueAcrossOrganizations(
      NARRATIVES_AT_ONCE,
      this.narrativeLeaseSeconds(),
    );
  }

  /**
   * Writes a claimed narrative: asks the model; an answer refused (not JSON, an unknown
   * reference, a number of its own) is asked once more with what was wrong, then dropped; an
   * endpoint that does not answer is tried again later, up to MAX_NARRATIVE_ATTEMPTS claims.
   * Returns what became of it.
   */
  async writeNarrative(job: ClaimedNarrative): Promise<{ status: 'ready' | 'dropped' | 'retry'; reason?: string }> {
    const narratives = new AiNarrativeRepository(this.database.db);
    const drop = async (reason: string) => {
      await narratives.drop(job, reason);
      return { status: 'dropped' as const, reason };
    };
    const source = await narratives.source(job.organizationId, job.analysisId);
    if (!source) return { status: 'dropped', reason: 'the analysis is gone' };
    if (!this.client || !this.narrativesFor(source.settings)) return drop('AI is off');
    if (!source.latest) return drop('a newer analysis of the audit replaced it');
    if (job.attempts > MAX_NARRATIVE_ATTEMPTS) return drop(`the AI endpoint failed ${MAX_NARRATIVE_ATTEMPTS} times`);
    const settings = readSettings(source.settings);
    const stack = Value.Check(StackDataSchema, source.stackData) ? source.stackData : null;
    const facts = auditFacts(source as unknown as StoredAnalysis, stack, {
      includePeopleNames: settings.aiIncludePeopleNames,
    });
    const messages: ChatMessage[] = [
      { role: 'system', content: NARRATIVE_SYSTEM },
      { role: 'user', content: userMessage(facts) },
    ];
    for (let round = 1; ; round++) {
      let call: AiCall;
      try {
        call = await this.reserve(job.organizationId, settings.timeZone, {
          auditId: job.auditId,
          userId: null,
          kind: 'narrative',
          reservedTokens: estimatePrompt(messages) + NARRATIVE_TOKENS,
        });
      } catch (error) {
        if (error instanceof BudgetSpent) return drop("the organization's daily AI tokens are spent");
        throw error;
      }
      const started = performance.now();
      let answer: Completion;
      try {
        answer = await this.client.completeJson(
          messages,
          { name: 'audit_narrative', schema: NARRATIVE_JSON_SCHEMA },
          NARRATIVE_TOKENS,
        );
      } catch (error) {
        await this.finish(call, started, 'failed', null, messages, '');
        if (error instanceof AiCallError && error.retry && job.attempts < MAX_NARRATIVE_ATTEMPTS) {
          await narratives.retryLater(job, 60 * job.attempts, error.message);
          return { status: 'retry', reason: error.message };
        }
        return drop(error instanceof AiCallError ? error.message : 'the call failed');
      }
      const checked = checkNarrative(answer.content, facts);
      await this.finish(call, started, checked.ok ? 'ok' : 'refused', answer.usage, messages, answer.content);
      if (checked.ok) {
        await narratives.complete(job, checked.narrative, this.client.model);
        return { status: 'ready' };
      }
      // The reason is kept and logged without the model's words (a call is logged without its content).
      if (round === 2) return drop(`the model's answer was refused twice (${refusalSummary(checked.problems)})`);
      messages.push(
        { role: 'assistant', content: answer.content },
        { role: 'user', content: retryMessage(checked.problems) },
      );
    }
  }
}
