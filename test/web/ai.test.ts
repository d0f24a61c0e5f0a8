/**
 * The AI of an audit in a real browser: the narrative and a question's streamed answer, against
 * a loopback fake of an OpenAI-compatible server. The model writes references; every figure the
 * page shows is the engine's. An admin turns the AI off and it is gone from the audit page.
 */

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { browserAvailable, launchChromium, openPage, screenshots } from '../harness/browser.js';
import { uniqueEmail } from '../harness/client.js';
import { createPgliteDir } from '../harness/databases.js';
import { FAKE_MODEL, startFakeOpenAi, type FakeOpenAi } from '../harness/fake-openai.js';
import { freePort } from '../harness/postgres-cluster.js';
import { startServer, type ServerProcess } from '../harness/server-process.js';

/** The narrative the fake model writes: references only, no digit of its own. */
const NARRATIVE = JSON.stringify({
  summary: 'Your tools cost {total.monthly} a month; {savings.monthly} of it can be saved.',
  plan: [{ recommendation: 'R1', reason: 'It saves {R1.savings} a month.' }],
});
const ANSWER = 'Start with {R1}: it saves {R1.savings} a month.';

describe.skipIf(!browserAvailable())('the AI of an audit in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    // A narrative is asked for as JSON (not streamed); a question's answer is streamed text.
    fake.fallback = (request) => ({ content: request.body.stream ? ANSWER : NARRATIVE });
    const port = await freePort();
    server = await startServer({
      DATA_DIR: createPgliteDir(),
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      ...fake.env,
    });
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.kill('SIGTERM');
    await fake?.close();
  });

  const open = (width = 1280) => openPage(browser, width);

  const shoot = screenshots;

  it('the summary and a streamed answer show only the engine’s figures; turned off, the audit page has no AI', async () => {
    const { context, page, problems } = await open();
    await page.goto(server.url);
    await page.getByLabel('Your name').fill('Ada Admin');
    await page.getByLabel('Email').fill(uniqueEmail('ai'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Organization name').fill('AI Org');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'No audits yet' }).waitFor();

    // Slack: 20 seats, 5 in use, at 8.75 a seat a month (175): the 15 idle seats can go.
    const made = await page.request.post(`${server.url}/api/audits`, {
      headers: { origin: server.url }, // the session cookie's CSRF check, as the browser would send it
      data: {
        name: 'AI stack',
        stackData: { currency: 'USD', tools: [{ name: 'Slack', monthlyCost: 175, seats: 20, activeSeats: 5 }] },
      },
    });
    expect(made.status()).toBe(201);
    const auditId = ((await made.json()) as { audit: { id: string } }).audit.id;
    await page.goto(`${server.url}/audits/${auditId}`);
    await page.getByRole('status').filter({ hasText: 'Analysis complete' }).waitFor({ timeout: 20_000 });

    // The figures as the analysis shows them elsewhere on the page.
    const monthly = (await page
      .locator('.cards article')
      .filter({ hasText: 'Monthly cost' })
      .locator('.value')
      .textContent())!;
    const savings = (await page.getByTestId('potential-savings').textContent())!;
    const first = page
      .getByRole('article')
      .filter({ hasText: /Saves .* a month/ })
      .first();
    const title = (await first.locator('header strong').textContent())!;
    const saves = (await first
      .getByText(/^Saves /)
      .locator('strong')
      .textContent())!;
    expect(monthly).toBe('$175.00');
    expect(savings).toBe('$131.25');
    expect(saves).toBe('$131.25');

    // The summary: written while the page waits, then shown with the engine's figures in bold.
    const summary = page.getByRole('region', { name: 'AI summary' });
    await expect
      .poll(() => summary.getByTestId('ai-summary').textContent(), { timeout: 20_000 })
      .toBe(`Your tools cost ${monthly} a month; ${savings} of it can be saved.`);
    expect(await summary.getByTestId('ai-summary').locator('strong').allTextContents()).toEqual([monthly, savings]);
    const plan = summary.getByRole('list', { name: 'Suggested order' });
    expect(await plan.getByRole('listitem').allTextContents()).toEqual([
      `${title} · saves ${saves} a month` + `It saves ${saves} a month.`,
    ]);
    await summary.getByText(`Written by ${FAKE_MODEL}; every figure comes from StackAudit's analysis.`).waitFor();
    const narrativeRequest = fake.requests.find((r) => !r.body.stream);
    expect(narrativeRequest?.body.model).toBe(FAKE_MODEL);
    expect(narrativeRequest?.body.response_format?.type).toBe('json_schema');

    // A question: the answer streams into a live region, the recommendation linked to its card.
    const ask = page.getByRole('form', { name: 'Ask about this audit' });
    await ask.getByLabel('Your question').fill('What should we do first?');
    await ask.getByRole('button', { name: 'Ask' }).click();
    const answer = page.getByRole('region', { name: 'Answer' });
    expect(await answer.getAttribute('aria-live')).toBe('polite');
    await expect
      .poll(() => answer.getByTestId('ai-answer').textContent(), { timeout: 20_000 })
      .toBe(`Start with ${title}: it saves ${saves} a month.`);
    await expect
      .poll(() => answer.getByTestId('ai-citations').textContent())
      .toBe(`Based on: ${title} (${saves} a month).`);
    await expect.poll(() => ask.getByRole('button', { name: 'Ask' }).isEnabled()).toBe(true);
    const asked = fake.requests.filter((r) => r.body.stream);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.body.model).toBe(FAKE_MODEL);
    expect(asked[0]!.body.messages.map((m) => m.content).join('\n')).toContain('What should we do first?');
    await shoot(page, 'audit-ai');
    await answer.getByTestId('ai-answer').getByRole('link', { name: title }).click();
    expect(new URL(page.url()).hash).toBe('#recommendation-1');

    // A reader whose browser speaks German sees the summary's sums as the rest of the page writes them.
    const german = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    await german.addCookies(await context.cookies());
    const de = await german.newPage();
    await de.goto(page.url().split('#')[0]!);
    const deMonthly = (await de
      .locator('.cards article')
      .filter({ hasText: 'Monthly cost' })
      .locator('.value')
      .textContent())!;
    expect(deMonthly).not.toBe(monthly); // written the German way (e.g. "175,00 $")
    const deSummary = de.getByRole('region', { name: 'AI summary' }).getByTestId('ai-summary');
    await expect.poll(() => deSummary.locator('strong').first().textContent(), { timeout: 20_000 }).toBe(deMonthly);
    await german.close();

    // A figure the model wrote itself is left out, and the page says so.
    fake.queue({ content: 'Drop {R1}; about 131 dollars go with it, that is {R1.savings}.' });
    await ask.getByLabel('Your question').fill('How much is it in dollars?');
    await ask.getByRole('button', { name: 'Ask' }).click();
    await answer
      .getByText('1 figure the model wrote itself was left out: StackAudit shows only its own figures.')
      .waitFor({
        timeout: 20_000,
      });
    expect(await answer.getByTestId('ai-answer').textContent()).not.toContain('131 dollars');

    // The admin sees today's tokens and turns the AI off.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const form = page.getByRole('form', { name: 'Organization settings' });
    const ai = form.getByRole('group', { name: 'AI' });
    const enabled = ai.getByLabel('Use AI for audit summaries and questions');
    await expect.poll(() => enabled.isChecked()).toBe(true);
    expect(await ai.getByLabel("Send people's names (tool owners) to the model").isChecked()).toBe(false);
    const tokens = (await ai.getByTestId('ai-tokens').textContent())!;
    expect(tokens).toMatch(/^Tokens used today: [\d,]+ of 200,000$/);
    expect(Number(/: ([\d,]+) of/.exec(tokens)![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    await shoot(page, 'settings-ai');
    await enabled.uncheck();
    await form.getByRole('button', { name: 'Save the settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();

    // The audit page, loaded afresh: no AI section, and no narrative asked for.
    const narrativeAsked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/narrative')) narrativeAsked.push(request.url());
    });
    await page.goto('about:blank'); // what the settings page was still asking is dropped
    const aiAnswered = page.waitForResponse((r) => r.url() === `${server.url}/api/ai`);
    await page.goto(`${server.url}/audits/${auditId}`);
    await page.getByRole('status').filter({ hasText: 'Analysis complete' }).waitFor({ timeout: 20_000 });
    expect(((await (await aiAnswered).json()) as { enabled: boolean }).enabled).toBe(false);
    await page.getByRole('heading', { name: 'Comments' }).waitFor();
    expect(await page.getByRole('heading', { name: 'AI summary' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Ask about this audit' }).count()).toBe(0);
    expect(narrativeAsked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
