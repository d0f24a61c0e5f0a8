/**
 * `npm run seed` on both databases: the demo login lands on the product — an analysed audit
 * with netted savings, six months of spend with a charge to review, a comment thread, and a
 * recommendation accepted three months ago whose saving the books show. Twice is once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import { DEMO, DEMO_AUDIT, seedDemoData } from '../../src/cli/seed.js';
import type { App } from '../../src/http/app.js';
import type { ThreadJson } from '../../src/http/routes/comments/contract.js';
import type { SavingsJson } from '../../src/http/routes/savings/contract.js';
import { buildTestApp } from '../harness/app.js';
import { call, type Account } from '../harness/client.js';
import type { AuditDetail, SpendSummary, ToolCostJson } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';

describeEachDatabase('the demo data', (get) => {
  let app: App;
  let demo: Account;
  beforeAll(async () => {
    app = await buildTestApp(get().database);
    const first = await seedDemoData(get().database);
    expect(first).toMatchObject({ organizationCreated: true, userCreated: true, demoContentCreated: true });
    expect(await seedDemoData(get().database)).toMatchObject({ organizationCreated: false, demoContentCreated: false });
    const login = await call<Account>(app, 'POST', '/api/auth/login', { email: DEMO.email, password: DEMO.password });
    expect(login.status).toBe(200);
    demo = login.body;
  });
  afterAll(() => app.close());
  const get_ = <T>(url: string) => call<T>(app, 'GET', url, undefined, { token: demo.token }).then((a) => a.body);

  it('an analysed audit whose savings are netted: the headline is the sum of the recommendations', async () => {
    const detail = await get_<AuditDetail>(`/api/audits/${DEMO_AUDIT.id}`);
    expect(detail.audit).toMatchObject({ name: DEMO_AUDIT.name, status: 'completed' });
    const analysis = detail.analysis!;
    const sum = analysis.recommendations.reduce((cents, r) => cents + Math.round(r.estimatedMonthlySavings * 100), 0);
    expect(Math.round(analysis.summary.potentialMonthlySavings * 100)).toBe(sum);
    expect(analysis.recommendations.map((r) => r.title)).toContain('Consolidate team chat on Slack');
    expect(analysis.recommendations.map((r) => r.title)).not.toContain('Remove 3 unused Slack seats');
    const list = await get_<{ items: { id: string }[] }>('/api/audits');
    expect(list.items.map((a) => a.id)).toEqual([DEMO_AUDIT.id]);
  });

  it('spend, a charge to review, a thread, and an accepted recommendation seen in the books', async () => {
    const summary = await get_<SpendSummary>('/api/tool-costs/summary');
    expect(summary.byTool.map((t) => t.toolName)).toEqual(expect.arrayContaining(['Slack', 'Jira', 'Microsoft Teams']));
    expect(summary.byMonth).toHaveLength(6);
    const waiting = await get_<{ items: ToolCostJson[] }>('/api/tool-costs?review=unreviewed');
    expect(waiting.items.map((l) => l.toolName)).toEqual(['LOOPIO INC 866-555-0199 CA']);
    const threads = await get_<{ items: ThreadJson[] }>(`/api/audits/${DEMO_AUDIT.id}/comments`);
    expect(threads.items).toHaveLength(1);
    expect(threads.items[0]?.replies).toHaveLength(1);
    const savings = await get_<SavingsJson>('/api/savings');
    expect(savings.items).toHaveLength(1);
    expect(savings.items[0]).toMatchObject({
      title: 'Consolidate team chat on Slack',
      expectedMonthlySavings: 182.5,
      verification: { status: 'seen', expectedMonthly: 182.5, seenMonthly: 182.5 },
    });
  });
});
