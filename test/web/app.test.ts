/**
 * The web app in a real browser: Debian's Chromium driven by playwright-core against a real
 * server process on the embedded database, as a user would use it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { uniqueEmail } from '../harness/client.js';
import { externalFixture } from '../harness/fixtures.js';
import { createPgliteDir } from '../harness/databases.js';
import { startServer, type ServerProcess } from '../harness/server-process.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve(import.meta.dirname, '../../test-artifacts/screenshots');

describe('the web app in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (the browser tests need Debian's Chromium)`);
    }
    server = await startServer({ DATA_DIR: createPgliteDir() });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.kill('SIGTERM');
  });

  /** A page that records console errors and uncaught exceptions (there should be none). */
  async function open(width = 1280) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    return { context, page, problems };
  }

  const shoot = async (page: Page, name: string) => {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it('sign up → create an audit in the editor → the analysis with its savings and the evidence of a recommendation', async () => {
    const { context, page, problems } = await open();
    await page.goto(server.url);
    await shoot(page, 'landing');
    await page.getByLabel('Your name').fill('Ada Admin');
    await page.getByLabel('Email').fill(uniqueEmail('web'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Organization name').fill('Acme Web');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'No audits yet' }).waitFor();
    await shoot(page, 'dashboard-empty');

    await page.getByRole('button', { name: 'Create your first audit' }).click();
    await page.getByLabel('Audit name').fill('Q3 stack');
    await page.getByLabel('Tool, row 1', { exact: true }).fill('Slack');
    await page.getByLabel('Seats, row 1', { exact: true }).fill('50');
    await page.getByLabel('Monthly cost, row 1', { exact: true }).fill('350');
    await page.getByLabel('Active seats, row 1', { exact: true }).fill('31');
    await page.getByRole('button', { name: 'Add a tool' }).click();
    await page.getByLabel('Tool, row 2', { exact: true }).fill('Microsoft Teams');
    await page.getByLabel('Monthly cost, row 2', { exact: true }).fill('120');
    await page.getByLabel('Seats, row 2', { exact: true }).fill('20');
    await page.getByLabel('Active seats, row 2', { exact: true }).fill('4');
    await shoot(page, 'editor');
    await page.getByRole('button', { name: 'Create audit' }).click();

    await page.getByRole('status').filter({ hasText: 'Analysis complete' }).waitFor({ timeout: 20_000 });
    // 19 idle Slack seats at 350 / 50 = 7.00 (133) and Teams overlapping Slack (120).
    await expect.poll(() => page.getByTestId('potential-savings').textContent()).toBe('$253.00');
    const first = page.getByRole('article').filter({ hasText: 'Remove 19 unused Slack seats' });
    await first.getByRole('button', { name: 'Show the evidence' }).click();
    const evidence = page.getByRole('region', { name: 'Evidence: Remove 19 unused Slack seats' });
    await expect.poll(() => evidence.textContent()).toContain('19 × 7 = 133');
    await shoot(page, 'audit-detail');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('link', { name: 'Q3 stack' }).waitFor();
    await shoot(page, 'dashboard');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  /** The API over HTTP (a script's way in: Bearer token, no cookie). */
  async function http<T>(method: string, url: string, body?: unknown, token?: string): Promise<T> {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function logIn(page: Page, email: string, password: string) {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('form', { name: 'Log in' }).getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  }

  it('comment, reply, react and mention; make the audit public and open the link logged out', async () => {
    const email = uniqueEmail('collab');
    const password = 'correct horse battery';
    const admin = await http<{ token: string }>('POST', '/api/auth/signup', {
      email,
      password,
      name: 'Ada Admin',
      organizationName: 'Collab Org',
    });
    const invite = await http<{ invite: { acceptUrl: string } }>(
      'POST',
      '/api/team/invites',
      { email: uniqueEmail('mel'), role: 'member' },
      admin.token,
    );
    const inviteToken = invite.invite.acceptUrl.split('/invite/')[1]!;
    await http('POST', `/api/invites/${inviteToken}/accept`, { name: 'Mel Member', password: 'member password' });
    const created = await http<{ audit: { id: string } }>(
      'POST',
      '/api/audits',
      { name: 'Shared stack', stackData: { tools: [{ name: 'Zoom', monthlyCost: 150, seats: 10, activeSeats: 6 }] } },
      admin.token,
    );

    const { context, page, problems } = await open();
    await logIn(page, email, password);
    await page.goto(`${server.url}/audits/${created.audit.id}`);
    await page.getByRole('status').filter({ hasText: 'Analysis complete' }).waitFor({ timeout: 20_000 });

    // A comment with Markdown and a mention picked from the people who can see the audit.
    const box = page.getByRole('form', { name: 'Add a comment' }).getByRole('textbox');
    await box.fill('Can we drop **Zoom**? @Me');
    await page.getByRole('list', { name: 'People to mention' }).getByRole('button', { name: 'Mel Member' }).click();
    await expect.poll(() => box.inputValue()).toBe('Can we drop **Zoom**? @"Mel Member" ');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    const comment = page.getByRole('article', { name: 'Comment by Ada Admin' }).first();
    await expect.poll(() => comment.locator('strong', { hasText: 'Zoom' }).count()).toBe(1);

    // A reply, and a reaction.
    await comment.getByRole('button', { name: 'Reply' }).click();
    await page.getByRole('form', { name: 'Your reply' }).getByRole('textbox').fill('Agreed, Meet covers it.');
    await page.getByRole('form', { name: 'Your reply' }).getByRole('button', { name: 'Reply' }).click();
    await page.getByText('Agreed, Meet covers it.').waitFor();
    await comment.getByRole('button', { name: 'React 👍' }).first().click();
    await expect.poll(() => comment.getByRole('button', { name: 'React 👍 (1)' }).count()).toBe(1);
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await shoot(page, 'audit-collaboration');

    // Public: a link anyone can open, logged out.
    await page.getByRole('button', { name: 'Share' }).click();
    await page.getByLabel('Who can see it').selectOption('public');
    const link = page.getByLabel('Public link');
    await expect.poll(() => link.inputValue()).toMatch(/\/shared\/[A-Za-z0-9_-]{40,}$/);
    const url = await link.inputValue();
    await shoot(page, 'share-dialog');
    await page.getByRole('button', { name: 'Done' }).click();

    const anonymous = await browser.newContext({ viewport: { width: 375, height: 900 } });
    const outsider = await anonymous.newPage();
    const outsiderProblems: string[] = [];
    outsider.on('pageerror', (error) => outsiderProblems.push(error.message));
    await outsider.goto(url);
    await outsider.getByRole('heading', { name: 'Shared stack' }).waitFor();
    await outsider.getByRole('status').filter({ hasText: 'Analysis complete' }).waitFor();
    expect(await outsider.getByText('Can we drop').count()).toBe(0); // comments are not public
    expect(await outsider.getByRole('button', { name: 'Share' }).count()).toBe(0);
    await outsider.screenshot({ path: path.join(SHOTS, 'shared-375.png'), fullPage: true });
    expect(outsiderProblems).toEqual([]);
    expect(problems).toEqual([]);
    await anonymous.close();
    await context.close();
  }, 90_000);

  it('invite a viewer, who accepts in another browser and is offered no action a viewer cannot take', async () => {
    const email = uniqueEmail('boss');
    const password = 'correct horse battery';
    const admin = await http<{ token: string }>('POST', '/api/auth/signup', {
      email,
      password,
      name: 'Ada Admin',
      organizationName: 'Invite Org',
    });
    await http(
      'POST',
      '/api/audits',
      { name: 'Team stack', stackData: { tools: [{ name: 'Slack', monthlyCost: 87.5, seats: 10 }] } },
      admin.token,
    );
    const { context, page, problems } = await open();
    await logIn(page, email, password);
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    const form = page.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Email').fill(uniqueEmail('vic'));
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Send the invite' }).click();
    const link = page.getByLabel('Invite link (shown once; also sent by email)');
    await expect.poll(() => link.inputValue()).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
    const inviteUrl = await link.inputValue();
    await shoot(page, 'team');

    const second = await browser.newContext({ viewport: { width: 375, height: 900 } });
    const viewer = await second.newPage();
    const viewerProblems: string[] = [];
    viewer.on('console', (m) => {
      if (m.type() === 'error') viewerProblems.push(m.text());
    });
    await viewer.goto(inviteUrl);
    await viewer.getByText('as viewer').waitFor();
    await viewer.getByLabel('Your name').fill('Vic Viewer');
    await viewer.getByLabel('Choose a password').fill('viewer password 1');
    await viewer.getByRole('button', { name: 'Join Invite Org' }).click();
    await viewer.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await viewer.getByRole('link', { name: 'Team stack' }).waitFor();
    expect(await viewer.getByRole('link', { name: 'New audit' }).count()).toBe(0);
    await viewer.getByRole('link', { name: 'Team stack' }).click();
    await viewer.getByRole('heading', { name: 'Team stack' }).waitFor();
    await viewer.getByRole('heading', { name: 'Comments' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Share' }).count()).toBe(0);
    // Viewers may comment (the contract), not edit or share.
    expect(await viewer.getByRole('form', { name: 'Add a comment' }).count()).toBe(1);
    await viewer.getByRole('link', { name: 'Team', exact: true }).click();
    await viewer.getByRole('heading', { name: 'Team' }).waitFor();
    expect(await viewer.getByRole('form', { name: 'Invite someone' }).count()).toBe(0);
    expect(await viewer.getByRole('combobox').count()).toBe(0); // no role pickers
    expect(viewerProblems).toEqual([]);
    expect(problems).toEqual([]);
    await second.close();
    await context.close();
  }, 90_000);

  it('upload a tool-list CSV (a bad one first) and a bank statement CSV', async () => {
    const { context, page, problems } = await open();
    await page.goto(server.url);
    await page.getByLabel('Your name').fill('Cy Csv');
    await page.getByLabel('Email').fill(uniqueEmail('csv'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Create your first audit' }).click();
    await page.getByText('Or import a tool list (CSV)').click();
    const csvInput = page.getByLabel('Tool list CSV');
    await csvInput.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Name,Seats,Active seats\nSlack,5,9\n'),
    });
    await page.getByText('Row 2:').waitFor();
    await csvInput.setInputFiles({
      name: 'stack.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Name,Monthly cost,Seats,Active seats\nSlack,$350.00,50,31\nZoom,150,10,10\n'),
    });
    await page.getByRole('heading', { name: 'stack' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Analysis complete' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('potential-savings').textContent()).toBe('$133.00');

    await page.getByRole('link', { name: 'Spend', exact: true }).click();
    await page.getByText('No spend imported yet').waitFor();
    const statement = `${externalFixture('bank_csv/chase_credit_card_activity.csv').trimEnd()}
04/01/2026,04/02/2026,SLACK T0123ABC SAN FRANCISCO,Software,Sale,-87.50,
04/03/2026,04/03/2026,GOOGLE *GSUITE,Software,Sale,-14.40,
`;
    await page.getByLabel('Bank or card statement (CSV)').setInputFiles({
      name: 'chase.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(statement),
    });
    await page.getByRole('status').filter({ hasText: 'Imported 2' }).waitFor();
    await page.getByRole('heading', { name: 'Spend by month' }).waitFor();
    await page.getByText('Slack: $87.50').waitFor();
    await shoot(page, 'spend');
    expect(problems.filter((p) => !p.includes('400'))).toEqual([]);
    await context.close();
  }, 90_000);

  it('profile: notification preferences are kept; a wrong current password is refused next to the form', async () => {
    const { context, page, problems } = await open();
    await page.goto(server.url);
    await page.getByLabel('Your name').fill('Pat Profile');
    await page.getByLabel('Email').fill(uniqueEmail('pat'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('link', { name: 'Pat Profile' }).click();
    const digest = page.getByRole('switch', { name: 'Send me the weekly digest' });
    await expect.poll(() => digest.isChecked()).toBe(true);
    await digest.uncheck();
    await expect.poll(() => digest.isEnabled()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('switch', { name: 'Send me the weekly digest' }).isChecked()).toBe(false);
    await expect
      .poll(() => page.getByRole('switch', { name: 'Email me when someone mentions me' }).isChecked())
      .toBe(true);
    const form = page.getByRole('form', { name: 'Change your password' });
    await form.getByLabel('Current password').fill('not my password');
    await form.getByLabel('New password').fill('another long password');
    await form.getByRole('button', { name: 'Change the password' }).click();
    await form.locator('.field-error').first().waitFor();
    await shoot(page, 'profile');
    expect(problems.filter((p) => !/40[01]|403/.test(p))).toEqual([]);
    await context.close();
  }, 60_000);

  it('the first load stays under 250 KB of gzipped JavaScript (the heavy pages load when opened)', async () => {
    const html = await (await fetch(server.url)).text();
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    let total = 0;
    for (const src of [...scripts, ...preloads]) {
      const response = await fetch(`${server.url}${src}`);
      expect(response.status, src).toBe(200);
      total += gzipSync(Buffer.from(await response.arrayBuffer())).length;
    }
    expect(total).toBeLessThan(250 * 1024);
  });

  it('bad input in the editor is shown next to its field, and nothing is created', async () => {
    const { context, page, problems } = await open(375);
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByLabel('Your name').fill('Bo Member');
    await page.getByLabel('Email').fill(uniqueEmail('web2'));
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Create your first audit' }).click();
    await page.getByLabel('Audit name').fill('Too many active');
    await page.getByLabel('Tool, row 1', { exact: true }).fill('Zoom');
    await page.getByLabel('Seats, row 1', { exact: true }).fill('5');
    await page.getByLabel('Active seats, row 1', { exact: true }).fill('9');
    await page.getByRole('button', { name: 'Create audit' }).click();
    await expect.poll(() => page.locator('.field-error').first().textContent()).toBe('is more than seats (5)');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'No audits yet' }).waitFor();
    // The API's 400 is logged by the browser as a failed request; nothing else went wrong.
    expect(problems.filter((p) => !p.includes('400'))).toEqual([]);
    await context.close();
  }, 60_000);
});
