/**
 * The AI narrative and questions over HTTP, on both databases, against a local fake
 * OpenAI-compatible server (test/harness/fake-openai.ts): a good narrative is shown with the
 * engine's figures; a malformed or number-inventing one is asked once more, then dropped; an
 * answer streams with its references written in and figures of the model's own left out;
 * the rate limit and the daily token budget hold (concurrently too); nothing is sent when AI
 * is off, and people's names only when the organization allows it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { rowsOf } from '../../src/db/handle.js';
import type { App } from '../../src/http/app.js';
import type { AiStatusJson, AnswerDoneJson, NarrativeJson, PartJson } from '../../src/http/routes/ai/contract.js';
import { secondsUntilNextDayIn } from '../../src/domain/days.js';
import type { AiCallRecord } from '../../src/services/ai.service.js';
import { buildAppWithWorker, servicesOf, writeNarratives } from '../harness/app.js';
import { analysedAudit, call, signup, team, type Account } from '../harness/client.js';
import type { AuditDetail, ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import { FAKE_KEY, FAKE_MODEL, startFakeOpenAi, type FakeOpenAi } from '../harness/fake-openai.js';

const STACK = {
  currency: 'USD',
  tools: [
    { name: 'Slack', monthlyCost: 175, seats: 20, activeSeats: 5, owner: 'Jane Doe', notes: 'secret note' },
    { name: 'Microsoft 365', monthlyCost: 120, seats: 10, activeSeats: 10, owner: 'Jane Doe' },
  ],
};

const GOOD = JSON.stringify({
  summary: 'Your tools cost {total.monthly} a month; {savings.monthly} of it can be saved, most in {T1}.',
  plan: [{ recommendation: 'R1', reason: 'It saves {R1.savings} a month and nobody loses a seat.' }],
});
const INVENTING = JSON.stringify({
  summary: 'You could save 40 dollars a month.',
  plan: [{ recommendation: 'R1', reason: 'Saves {R1.savings}.' }],
});

const text = (parts: PartJson[]) => parts.map((p) => p.text).join('');

/** The events of a text/event-stream body. */
function events(body: string): { event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Record<string, unknown>;
      return { event, data };
    });
}

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());

describeEachDatabase('AI narrative and questions', (get) => {
  let app: App;
  const logged: AiCallRecord[] = [];
  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database, fake.env));
    servicesOf(app).ai.onCall = (record) => logged.push(record);
  });
  afterAll(() => app.close());
  beforeEach(() => {
    fake.reset();
    logged.length = 0;
  });
  const as = (who: Account) => ({ token: who.token });
  /** The app on a real port (for a reader that hangs up), once. */
  const listening = async () =>
    new URL(
      app.server.listening
        ? `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
        : await app.listen({ host: '127.0.0.1', port: 0 }),
    );
  const narrative = (id: string, who: Account) =>
    call<NarrativeJson>(app, 'GET', `/api/audits/${id}/narrative`, undefined, as(who));
  const ask = (id: string, who: Account, question: string) =>
    call<ErrorBody>(app, 'POST', `/api/audits/${id}/questions`, { question }, as(who));

  it('a good narrative is shown with the engine’s figures, to everyone who may view the audit', async () => {
    const t = await team(app);
    fake.queue({ content: GOOD });
    const audit = await analysedAudit(app, t.admin, 'Chat', STACK);
    expect(await writeNarratives(app)).toEqual(['ready']);
    const recommendation = audit.analysis!.recommendations[0]!;

    const shown = await narrative(audit.audit.id, t.viewer);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ status: 'ready', analysisId: audit.analysis!.id, model: FAKE_MODEL });
    expect(text(shown.body.summary)).toBe(
      'Your tools cost $295.00 a month; $131.25 of it can be saved, most in Slack.',
    );
    expect(shown.body.summary.filter((p) => p.ref !== null).map((p) => p.ref)).toEqual([
      'total.monthly',
      'savings.monthly',
      'T1',
    ]);
    expect(shown.body.plan).toEqual([
      {
        recommendation: 0,
        title: recommendation.title,
        monthlySavings: recommendation.estimatedMonthlySavings,
        reason: [
          { text: 'It saves ', ref: null, recommendation: null, money: null },
          { text: '$131.25', ref: 'R1.savings', recommendation: 0, money: { amount: 131.25, currency: 'USD' } },
          { text: ' a month and nobody loses a seat.', ref: null, recommendation: null, money: null },
        ],
      },
    ]);
    expect(recommendation.estimatedMonthlySavings).toBe(131.25);

    // What was sent: the model, structured output, the key; the audit's figures; no names, no notes.
    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${FAKE_KEY}`);
    expect(sent.body.model).toBe(FAKE_MODEL);
    expect(sent.body.stream).toBeFalsy();
    expect(sent.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'audit_narrative' } });
    const prompt = JSON.stringify(sent.body.messages);
    expect(prompt).toContain('Microsoft 365');
    expect(prompt).toContain('R1.savings');
    expect(prompt).not.toContain('Jane Doe');
    expect(prompt).not.toContain('secret note');
    expect(prompt).not.toContain(t.admin.user.email);

    // Logged with tokens, latency and model, never content; recorded for the budget.
    expect(logged).toHaveLength(1);
    expect(Object.keys(logged[0]!).sort()).toEqual(
      [
        'auditId',
        'completionTokens',
        'kind',
        'latencyMs',
        'model',
        'organizationId',
        'outcome',
        'promptTokens',
        'tokensEstimated',
        'totalTokens',
      ].sort(),
    );
    expect(logged[0]).toMatchObject({ kind: 'narrative', model: FAKE_MODEL, outcome: 'ok', tokensEstimated: false });
    expect(JSON.stringify(logged)).not.toContain('Slack');
    const [row] = rowsOf<{ kind: string; outcome: string; total_tokens: number }>(
      await get().database.db.execute(
        sql`SELECT kind, outcome, total_tokens FROM ai_calls WHERE organization_id = ${t.admin.organization.id}`,
      ),
    );
    expect(row).toEqual({ kind: 'narrative', outcome: 'ok', total_tokens: logged[0]!.totalTokens });

    // Another organization's audit: 404, as every audit route.
    const outsider = await signup(app);
    expect((await narrative(audit.audit.id, outsider)).status).toBe(404);
  });

  it('a malformed answer is asked once more and accepted; one inventing numbers twice is dropped', async () => {
    const admin = await signup(app);
    fake.queue({ content: 'Here is your summary: {not json' }, { content: GOOD });
    const first = await analysedAudit(app, admin, 'Chat', STACK);
    expect(await writeNarratives(app)).toEqual(['ready']);
    expect(fake.requests).toHaveLength(2);
    const retry = fake.requests[1]!.body.messages;
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: 'Here is your summary: {not json' });
    expect(retry.at(-1)!.content).toContain('the answer is not JSON');
    expect((await narrative(first.audit.id, admin)).body.status).toBe('ready');
    expect(logged.map((l) => l.outcome)).toEqual(['refused', 'ok']);

    fake.reset();
    fake.queue({ content: INVENTING }, { content: INVENTING });
    const second = await analysedAudit(app, admin, 'Chat again', STACK);
    expect(await writeNarratives(app)).toEqual(['dropped']);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.body.messages.at(-1)!.content).toContain('"40" is a number of its own');
    expect(await narrative(second.audit.id, admin)).toMatchObject({
      status: 200,
      body: { status: 'none', summary: [], plan: [] },
    });

    fake.reset();
    const unknown = JSON.stringify({
      summary: 'Act on {R9} first.',
      plan: [{ recommendation: 'R7', reason: 'Why not.' }],
    });
    fake.queue({ content: unknown }, { content: GOOD });
    const third = await analysedAudit(app, admin, 'Chat third', STACK);
    expect(await writeNarratives(app)).toEqual(['ready']);
    const problems = fake.requests[1]!.body.messages.at(-1)!.content;
    expect(problems).toContain('{R9} is not a reference of the input');
    expect(problems).toContain('"R7" is not a recommendation of the input');
    expect((await narrative(third.audit.id, admin)).body.status).toBe('ready');
  });

  it('an endpoint that fails is tried again later; a re-analysis is narrated anew', async () => {
    const admin = await signup(app);
    fake.fallback = () => ({ status: 500 });
    const audit = await analysedAudit(app, admin, 'Chat', STACK);
    expect(await writeNarratives(app)).toEqual(['retry']);
    expect((await narrative(audit.audit.id, admin)).body.status).toBe('pending');
    // The package retries once at once; the job waits a minute before the next attempt.
    expect(fake.requests).toHaveLength(2);
    expect(await writeNarratives(app)).toEqual([]);
    expect(logged.map((l) => l.outcome)).toEqual(['failed']);

    fake.reset();
    fake.queue({ content: GOOD });
    const edited = await call(
      app,
      'PATCH',
      `/api/audits/${audit.audit.id}`,
      { stackData: { ...STACK, tools: [STACK.tools[0]] } },
      as(admin),
    );
    expect(edited.status, edited.raw).toBe(200);
    let detail: AuditDetail | undefined;
    for (let i = 0; i < 200 && detail?.audit.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      detail = (await call<AuditDetail>(app, 'GET', `/api/audits/${audit.audit.id}`, undefined, as(admin))).body;
    }
    expect(await writeNarratives(app)).toEqual(['ready']);
    const shown = await narrative(audit.audit.id, admin);
    expect(shown.body).toMatchObject({ status: 'ready', analysisId: detail!.analysis!.id });
    expect(text(shown.body.summary)).toContain('$175.00 a month');
  });

  it('a narrative of a replaced analysis is dropped unwritten; one whose endpoint keeps failing, after four attempts', async () => {
    const admin = await signup(app);
    const first = await analysedAudit(app, admin, 'Chat', STACK);
    const edited = await call(
      app,
      'PATCH',
      `/api/audits/${first.audit.id}`,
      { stackData: { ...STACK, tools: [STACK.tools[0]] } },
      as(admin),
    );
    expect(edited.status, edited.raw).toBe(200);
    for (let i = 0; i < 200; i++) {
      const detail = await call<AuditDetail>(app, 'GET', `/api/audits/${first.audit.id}`, undefined, as(admin));
      if (detail.body.audit.status === 'completed' && detail.body.analysis!.id !== first.analysis!.id) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    fake.queue({ content: GOOD });
    expect((await writeNarratives(app)).sort()).toEqual(['dropped', 'ready']);
    expect(fake.requests).toHaveLength(1); // the replaced analysis cost nothing
    expect(text((await narrative(first.audit.id, admin)).body.summary)).toContain('$175.00 a month');

    // The endpoint down: tried again later (each attempt counting no tokens), dropped after the fourth.
    fake.reset();
    fake.fallback = () => ({ status: 503 });
    const second = await analysedAudit(app, admin, 'Down', STACK);
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(...(await writeNarratives(app)));
      await get().database.db.execute(
        sql`UPDATE audit_narratives SET run_after = now() - interval '1 second' WHERE audit_id = ${second.audit.id} AND status = 'pending'`,
      );
    }
    expect(outcomes).toEqual(['retry', 'retry', 'retry', 'dropped']);
    expect((await narrative(second.audit.id, admin)).body.status).toBe('none');
    const failed = rowsOf<{ outcome: string; total_tokens: number }>(
      await get().database.db.execute(
        sql`SELECT outcome, total_tokens FROM ai_calls WHERE audit_id = ${second.audit.id}`,
      ),
    );
    expect(failed).toEqual(Array.from({ length: 4 }, () => ({ outcome: 'failed', total_tokens: 0 })));
  });

  it('a narrative taken over after its lease ran out cannot be written by the run that lost it', async () => {
    const admin = await signup(app);
    await analysedAudit(app, admin, 'Chat', STACK);
    const ai = servicesOf(app).ai;
    const [lost] = await ai.claimNarratives();
    await get().database.db.execute(
      sql`UPDATE audit_narratives SET locked_until = now() - interval '1 second' WHERE analysis_id = ${lost!.analysisId}`,
    );
    const [taken] = await ai.claimNarratives();
    expect(taken).toMatchObject({ analysisId: lost!.analysisId, attempts: lost!.attempts + 1 });
    fake.fallback = () => ({ content: INVENTING });
    expect(await ai.writeNarrative(lost!)).toMatchObject({ status: 'dropped' });
    const [state] = rowsOf<{ status: string; reason: string | null }>(
      await get().database.db.execute(
        sql`SELECT status, reason FROM audit_narratives WHERE analysis_id = ${lost!.analysisId}`,
      ),
    );
    expect(state!.status).toBe('pending'); // the lost run's drop changed nothing
    fake.fallback = () => ({ content: GOOD });
    expect(await ai.writeNarrative(taken!)).toEqual({ status: 'ready' });
  });

  it('a refused narrative is logged and kept without the model’s words', async () => {
    const admin = await signup(app);
    fake.queue({ content: INVENTING }, { content: INVENTING });
    const audit = await analysedAudit(app, admin, 'Chat', STACK);
    const [job] = await servicesOf(app).ai.claimNarratives();
    const outcome = await servicesOf(app).ai.writeNarrative(job!);
    expect(outcome).toEqual({
      status: 'dropped',
      reason: "the model's answer was refused twice (numbers of its own: 1)",
    });
    const [row] = rowsOf<{ reason: string }>(
      await get().database.db.execute(sql`SELECT reason FROM audit_narratives WHERE audit_id = ${audit.audit.id}`),
    );
    expect(row!.reason).toBe(outcome.reason);
    expect(row!.reason).not.toContain('40');
  });

  it('a question streams its answer with the engine’s figures; figures of the model’s own are left out', async () => {
    const t = await team(app);
    fake.queue({ content: GOOD });
    const audit = await analysedAudit(app, t.admin, 'Chat', STACK);
    await writeNarratives(app);
    fake.reset();
    const title = audit.analysis!.recommendations[0]!.title;
    fake.queue({
      content:
        'Start with {R1}: it saves {R1.savings} a month, 12% of it. Keep Microsoft 365 as it is; cut 3 seats, twenty in a year.',
    });
    const answer = await ask(audit.audit.id, t.viewer, 'What should we do first?');
    expect(answer.status, answer.raw).toBe(200);
    expect(answer.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const received = events(answer.raw);
    expect(received.length).toBeGreaterThan(2); // streamed in pieces, not one block
    expect(received.slice(0, -1).every((e) => e.event === 'delta')).toBe(true);
    const parts = received.slice(0, -1).flatMap((e) => e.data.parts as PartJson[]);
    expect(text(parts)).toBe(
      `Start with ${title}: it saves $131.25 a month, … of it. Keep Microsoft 365 as it is; cut … seats, … in a year.`,
    );
    const done = received.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({
      citations: [{ recommendation: 0, title, monthlySavings: 131.25 }],
      removedNumbers: 3,
    } satisfies Partial<AnswerDoneJson>);
    expect((done.data as AnswerDoneJson).tokens).toBe(logged.at(-1)!.totalTokens);

    const sent = fake.requests[0]!.body;
    expect(sent).toMatchObject({ model: FAKE_MODEL, stream: true, stream_options: { include_usage: true } });
    expect(sent.messages.at(-1)!.content).toContain('Question: What should we do first?');
    expect(JSON.stringify(sent.messages)).not.toContain('Jane Doe');
    expect(logged.at(-1)).toMatchObject({ kind: 'question', outcome: 'ok', auditId: audit.audit.id });

    // Bad input and no access: nothing is sent.
    fake.reset();
    const outsider = await signup(app);
    expect((await ask(audit.audit.id, outsider, 'Anything?')).status).toBe(404);
    expect((await ask(audit.audit.id, t.viewer, '')).status).toBe(400);
    expect((await ask(audit.audit.id, t.viewer, '   ')).status).toBe(400);
    expect((await ask(audit.audit.id, t.viewer, 'x'.repeat(1001))).status).toBe(400);
    expect((await call(app, 'POST', `/api/audits/${audit.audit.id}/questions`, { question: 'Hi?' })).status).toBe(401);
    expect(fake.requests).toHaveLength(0);

    // The endpoint failing mid-way: an error event, no done.
    fake.queue({ status: 500 }, { status: 500 });
    const failed = events((await ask(audit.audit.id, t.member, 'Again?')).raw);
    expect(failed.map((e) => e.event)).toEqual(['error']);
    expect(failed[0]!.data).toMatchObject({ error: { code: 'ai_failed' } });
  });

  it('a reader who leaves mid-answer stops the model’s answer; the call is recorded as cancelled', async () => {
    const admin = await signup(app);
    fake.queue({ content: GOOD });
    const audit = await analysedAudit(app, admin, 'Chat', STACK);
    await writeNarratives(app);
    fake.reset();
    fake.queue({ content: 'Start with {R1}. '.repeat(40), pieceDelayMs: 20 });
    const url = await listening();
    // A reader that reads the first piece of the answer and hangs up.
    const first = await new Promise<string>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `/api/audits/${audit.audit.id}/questions`,
          headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        },
        (response) => {
          expect(response.statusCode).toBe(200);
          response.once('data', (chunk: Buffer) => {
            request.destroy();
            resolve(chunk.toString());
          });
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ question: 'What first?' }));
    });
    expect(first).toContain('event: delta');
    // The server records the cancellation and the fake sees its socket close in either order.
    let outcome = 'running';
    for (let i = 0; i < 100 && (outcome === 'running' || fake.abandoned === 0); i++) {
      await new Promise((r) => setTimeout(r, 50));
      [{ outcome }] = rowsOf<{ outcome: string }>(
        await get().database.db.execute(
          sql`SELECT outcome FROM ai_calls WHERE organization_id = ${admin.organization.id} AND kind = 'question'`,
        ),
      ) as [{ outcome: string }];
    }
    expect(outcome).toBe('cancelled');
    expect(fake.abandoned).toBe(1);
    expect(logged.at(-1)).toMatchObject({ kind: 'question', outcome: 'cancelled' });
  });

  it('a reader who leaves before the answer begins: nothing is sent, the call is recorded as cancelled', async () => {
    const admin = await signup(app);
    fake.queue({ content: GOOD });
    const audit = await analysedAudit(app, admin, 'Chat', STACK);
    await writeNarratives(app);
    fake.reset();
    const url = await listening();
    // The organization's row held, so the question waits in its budget check while the reader leaves.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holding = get().database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1 FROM organizations WHERE id = ${admin.organization.id} FOR UPDATE`);
      locked();
      await held;
    });
    await lockTaken;
    const request = http.request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: `/api/audits/${audit.audit.id}/questions`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    });
    request.on('error', () => {});
    request.end(JSON.stringify({ question: 'What first?' }));
    await new Promise((r) => setTimeout(r, 300));
    request.destroy(); // gone before any answer
    await new Promise((r) => setTimeout(r, 100));
    release();
    await holding;
    // Refused before the handler ran (no call at all), or recorded as cancelled: never running, never asked.
    await new Promise((r) => setTimeout(r, 1000));
    const calls = rowsOf<{ outcome: string }>(
      await get().database.db.execute(
        sql`SELECT outcome FROM ai_calls WHERE organization_id = ${admin.organization.id} AND kind = 'question'`,
      ),
    );
    expect(calls.every((c) => c.outcome === 'cancelled')).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it('people’s names go to the model only when the organization allows it; turned off, nothing is sent', async () => {
    const admin = await signup(app);
    const allow = await call(
      app,
      'PATCH',
      '/api/organization',
      { settings: { aiIncludePeopleNames: true } },
      as(admin),
    );
    expect(allow.status, allow.raw).toBe(200);
    fake.queue({ content: GOOD });
    await analysedAudit(app, admin, 'Chat', STACK);
    await writeNarratives(app);
    expect(JSON.stringify(fake.requests[0]!.body.messages)).toContain('Jane Doe');

    fake.reset();
    const off = await call<{ organization: { settings: { aiEnabled: boolean } } }>(
      app,
      'PATCH',
      '/api/organization',
      { settings: { aiEnabled: false } },
      as(admin),
    );
    expect(off.body.organization.settings.aiEnabled).toBe(false);
    const audit = await analysedAudit(app, admin, 'Chat off', STACK);
    expect(await writeNarratives(app)).toEqual([]);
    expect((await narrative(audit.audit.id, admin)).body.status).toBe('off');
    const refused = await ask(audit.audit.id, admin, 'Anything?');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('ai_disabled');
    const status = await call<AiStatusJson>(app, 'GET', '/api/ai', undefined, as(admin));
    expect(status.body).toMatchObject({ available: true, enabled: false, model: FAKE_MODEL });
    expect(fake.requests).toHaveLength(0);
  });
});

describeEachDatabase('AI limits: questions per organization and the daily token budget', (get) => {
  let app: App;
  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database, {
      ...fake.env,
      RATE_LIMIT_AI_QUESTIONS_PER_ORGANIZATION: '3',
      AI_DAILY_TOKENS: '12000',
    }));
  });
  afterAll(() => app.close());
  beforeEach(() => fake.reset());
  const ask = (id: string, who: Account) =>
    call<ErrorBody>(app, 'POST', `/api/audits/${id}/questions`, { question: 'What first?' }, { token: who.token });

  it('the questions of an organization are rate-limited', async () => {
    const t = await team(app);
    fake.fallback = (request) => (request.body.stream ? { content: 'Start with {R1}.' } : { content: GOOD });
    const audit = await analysedAudit(app, t.admin, 'Chat', STACK);
    await writeNarratives(app);
    fake.reset();
    fake.fallback = () => ({ content: 'Start with {R1}.', promptTokens: 100, completionTokens: 10 });
    for (let i = 0; i < 3; i++) expect((await ask(audit.audit.id, i % 2 ? t.viewer : t.member)).status).toBe(200);
    const limited = await ask(audit.audit.id, t.admin);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(fake.requests).toHaveLength(3);
  });

  it('the daily budget holds, for concurrent questions too, and admins see it', async () => {
    const tiny = { promptTokens: 1, completionTokens: 1 };
    // What one question holds of the budget while under way (its prompt, generously counted, and the answer's 700).
    const probe = await signup(app);
    fake.fallback = (request) => ({ content: request.body.stream ? 'Start with {R1}.' : GOOD, ...tiny });
    const probed = await analysedAudit(app, probe, 'Chat', STACK);
    await writeNarratives(app);
    expect((await ask(probed.audit.id, probe)).status).toBe(200);
    const [held] = rowsOf<{ reserved_tokens: number }>(
      await get().database.db.execute(
        sql`SELECT reserved_tokens FROM ai_calls WHERE organization_id = ${probe.organization.id} AND kind = 'question'`,
      ),
    );
    const question = held!.reserved_tokens;
    expect(question).toBeGreaterThan(700);

    // An organization whose narrative used all but one and a half questions' worth of 12,000 tokens.
    const t = await team(app);
    const used = 12_000 - Math.floor(question * 1.5);
    fake.reset();
    fake.fallback = () => ({ content: GOOD, promptTokens: used - 100, completionTokens: 100 });
    const audit = await analysedAudit(app, t.admin, 'Chat', STACK);
    await writeNarratives(app);
    const before = await call<AiStatusJson>(app, 'GET', '/api/ai', undefined, { token: t.admin.token });
    expect(before.body.budget).toMatchObject({ dailyTokens: 12_000, usedToday: used });
    expect((await call<AiStatusJson>(app, 'GET', '/api/ai', undefined, { token: t.viewer.token })).body).toEqual({
      available: true,
      enabled: true,
      model: FAKE_MODEL,
      budget: null,
    });

    // Three at once (each answer under way for a while): one fits, two are refused before anything is sent.
    fake.reset();
    fake.fallback = () => ({ content: 'Start with {R1}.', ...tiny, delayMs: 500 });
    const answers = await Promise.all([t.admin, t.member, t.viewer].map((who) => ask(audit.audit.id, who)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 429, 429]);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.every((a) => a.body.error.code === 'ai_budget_exhausted')).toBe(true);
    expect(refused[0]!.headers['retry-after']).toMatch(/^\d+$/);
    expect(fake.requests).toHaveLength(1);
    const after = await call<AiStatusJson>(app, 'GET', '/api/ai', undefined, { token: t.admin.token });
    expect(after.body.budget!.usedToday).toBe(used + 2);
  });
});

describeEachDatabase('without an AI endpoint', (get) => {
  let app: App;
  beforeAll(async () => {
    ({ app } = await buildAppWithWorker(get().database));
  });
  afterAll(() => app.close());

  it('nothing of it is offered, queued or sent', async () => {
    fake.reset();
    const admin = await signup(app);
    const audit = await analysedAudit(app, admin, 'Chat', STACK);
    const as = { token: admin.token };
    expect((await call(app, 'GET', '/api/ai', undefined, as)).body).toEqual({
      available: false,
      enabled: false,
      model: null,
      budget: null,
    });
    expect(
      (await call<NarrativeJson>(app, 'GET', `/api/audits/${audit.audit.id}/narrative`, undefined, as)).body.status,
    ).toBe('off');
    const asked = await call<ErrorBody>(
      app,
      'POST',
      `/api/audits/${audit.audit.id}/questions`,
      { question: 'Hi?' },
      as,
    );
    expect(asked.status).toBe(503);
    expect(asked.body.error.code).toBe('ai_unavailable');
    const [queued] = rowsOf<{ n: number }>(
      await get().database.db.execute(sql`SELECT count(*)::int AS n FROM audit_narratives`),
    );
    expect(queued!.n).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('a spent budget comes back at the organization’s midnight', () => {
  it('Retry-After counts to the next day in its time zone, whatever the server’s', () => {
    const now = new Date('2026-12-01T23:30:00Z');
    expect(secondsUntilNextDayIn('UTC', now)).toBe(1_800);
    expect(secondsUntilNextDayIn('Europe/Paris', now)).toBe(84_600); // 00:30 there
    expect(secondsUntilNextDayIn('America/Los_Angeles', now)).toBe(30_600); // 15:30 there
    expect(secondsUntilNextDayIn('Pacific/Kiritimati', now)).toBe(37_800); // 13:30 the next day there
  });
});

describe('configuration', () => {
  it('is checked at start', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(loadConfig({}).ai).toBeNull();
    expect(() => loadConfig({ AI_BASE_URL: 'http://localhost:11434/v1' })).toThrow(/AI_MODEL must be set/);
    expect(() => loadConfig({ AI_MODEL: 'llama3.1' })).toThrow(/AI_MODEL is set but neither/);
    expect(() => loadConfig({ AI_BASE_URL: 'ftp://x', AI_MODEL: 'm' })).toThrow(/AI_BASE_URL/);
    expect(loadConfig({ AI_API_KEY: 'sk-1', AI_MODEL: 'gpt-4o-mini' }).ai).toMatchObject({
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-1',
      dailyTokens: 200_000,
    });
    expect(loadConfig({ AI_BASE_URL: 'http://localhost:11434/v1/', AI_MODEL: 'llama3.1' }).ai).toMatchObject({
      baseUrl: 'http://localhost:11434/v1',
      apiKey: null,
    });
  });
});
