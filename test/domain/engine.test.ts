/** The analysis engine, with expectations computed by hand. */
import { describe, expect, it } from 'vitest';

import { CATALOG, findInCatalog, OVERLAP_GROUPS, searchCatalog } from '../../src/domain/analysis/catalog.js';
import { analyze, type Analysis } from '../../src/domain/analysis/engine.js';
import { nextRenewal } from '../../src/domain/analysis/rules/renewals.js';
import { stackProblems, type StackData } from '../../src/domain/analysis/stack.js';

const TODAY = '2025-06-01';
const run = (stack: StackData, rates?: Record<string, number>): Analysis => analyze({ stack, today: TODAY, rates });
const recOf = (a: Analysis, type: string) => a.recommendations.filter((r) => r.type === type);

describe('analysis engine', () => {
  it('an empty stack: zero totals, healthy, a headline that says what to do', () => {
    const a = run({ tools: [] });
    expect(a.summary).toEqual({
      headline: 'No tools listed yet: add the tools you pay for to see where money goes.',
      toolCount: 0,
      totalMonthlyCost: 0,
      totalAnnualCost: 0,
      potentialMonthlySavings: 0,
      healthScore: 100,
    });
    expect(a.recommendations).toEqual([]);
    expect(a.costAnalysis).toMatchObject({ currency: 'USD', byCategory: [], byTool: [], perEmployee: null });
    expect(a.riskAssessment).toEqual({ score: 0, level: 'low', factors: [] });
  });

  it('totals: monthly, annual (annual contracts normalised), by category and per employee, in cents', () => {
    const a = run({
      currency: 'EUR',
      employeeCount: 3,
      tools: [
        { name: 'Slack', monthlyCost: 0.1, owner: 'a' },
        { name: 'Zoom', monthlyCost: 0.2, owner: 'a' },
        { name: 'Figma', annualCost: 1200, billingCycle: 'annual', owner: 'a' },
      ],
    });
    // 0.10 + 0.20 + 1200/12 = 100.30 exactly (floats would give 100.30000000000001)
    expect(a.summary.totalMonthlyCost).toBe(100.3);
    expect(a.summary.totalAnnualCost).toBe(1203.6);
    expect(a.costAnalysis.currency).toBe('EUR');
    expect(a.costAnalysis.perEmployee).toBe(33.43); // 10030 / 3 = 3343.33 cents
    expect(a.costAnalysis.byCategory).toEqual([
      { category: 'design', monthlyCost: 100, toolCount: 1, share: 1 },
      { category: 'video_conferencing', monthlyCost: 0.2, toolCount: 1, share: 0 },
      { category: 'communication', monthlyCost: 0.1, toolCount: 1, share: 0 },
    ]);
    expect(a.costAnalysis.byTool.map((t) => t.name)).toEqual(['Figma', 'Zoom', 'Slack']);
  });

  it('zero costs and missing seats: no savings invented', () => {
    const a = run({
      tools: [
        { name: 'Internal Wiki', monthlyCost: 0, owner: 'x' },
        { name: 'Tool Without Seats', owner: 'x' },
      ],
    });
    expect(a.summary.totalMonthlyCost).toBe(0);
    expect(a.summary.potentialMonthlySavings).toBe(0);
    expect(recOf(a, 'remove_unused_seats')).toEqual([]);
    expect(a.summary.headline).toBe('2 tools cost $0.00 a month; no savings found.');
  });

  it('the headline agrees with one tool', () => {
    const a = run({ tools: [{ name: 'Slack', monthlyCost: 350, seats: 50, activeSeats: 40, owner: 'x' }] });
    expect(a.summary.headline).toBe('1 tool costs $350.00 a month; $70.00 (20%) could be saved.');
  });

  it('idle seats: idle × (monthly cost ÷ seats), with the arithmetic as evidence', () => {
    // Wrike: in the catalog without a price list, so only the idle seats count.
    const a = run({ tools: [{ name: 'Wrike', monthlyCost: 300, seats: 12, activeSeats: 2, owner: 'ops' }] });
    const [rec] = recOf(a, 'remove_unused_seats');
    expect(rec).toMatchObject({
      title: 'Remove 10 unused Wrike seats',
      tools: ['Wrike'],
      estimatedMonthlySavings: 250, // 10 × 25
      priority: 'high',
      confidence: 0.9,
    });
    expect(rec?.evidence).toMatchObject({
      seats: 12,
      activeSeats: 2,
      idle: 10,
      unitPrice: 25,
      monthlyCost: 300,
      savings: '10 × (300 ÷ 12) = 250',
    });
    expect(a.summary.potentialMonthlySavings).toBe(250);
  });

  it('idle seats without a cost: an estimate at the list price, not counted (the bill is unknown); else no amount', () => {
    const a = run({
      tools: [
        { name: 'Slack', seats: 10, activeSeats: 6, billingCycle: 'annual', owner: 'x' },
        { name: 'Mystery App', seats: 5, activeSeats: 1, owner: 'x' },
      ],
    });
    const slack = recOf(a, 'remove_unused_seats').find((r) => r.tools[0] === 'Slack');
    expect(slack).toMatchObject({ estimatedMonthlySavings: 0, confidence: 0.3 });
    expect(slack?.evidence).toMatchObject({ unitPrice: 7.25, estimatedAtListPrice: 29 }); // 4 × 7.25 (Pro, annual)
    expect(slack?.detail).toContain('about 29 a month; not counted');
    expect(a.summary.potentialMonthlySavings).toBe(0);
    const mystery = recOf(a, 'remove_unused_seats').find((r) => r.tools[0] === 'Mystery App');
    expect(mystery).toMatchObject({ estimatedMonthlySavings: 0, confidence: 0.3 });
    expect(mystery?.evidence.unitPrice).toBeNull();
  });

  it('a tool nobody uses: cancel it, savings = its whole cost', () => {
    const a = run({ tools: [{ name: 'Loom', monthlyCost: 120, seats: 8, activeSeats: 0, owner: 'x' }] });
    expect(recOf(a, 'cancel')).toEqual([
      expect.objectContaining({ tools: ['Loom'], estimatedMonthlySavings: 120, confidence: 0.8 }),
    ]);
    expect(recOf(a, 'remove_unused_seats')).toEqual([]);
  });

  it('known overlaps: keep the most used; savings = the cost of the others minus the seats their users need', () => {
    const a = run({
      tools: [
        { name: 'Slack', monthlyCost: 400, seats: 50, activeSeats: 48, owner: 'it' },
        { name: 'MS Teams', monthlyCost: 250, seats: 50, activeSeats: 10, owner: 'it' },
        { name: 'Zoom', monthlyCost: 150, seats: 20, activeSeats: 20, owner: 'it' },
        { name: 'Google Meet', monthlyCost: 0, owner: 'it' },
      ],
    });
    const consolidations = recOf(a, 'consolidate');
    const chat = consolidations.find((r) => r.tools.includes('Slack'));
    // Teams' 10 users move to Slack: 2 idle Slack seats take two, 8 more seats at 400 ÷ 50 = 8.
    expect(chat).toMatchObject({
      title: 'Consolidate team chat on Slack',
      tools: ['Slack', 'MS Teams'],
      estimatedMonthlySavings: 186,
      confidence: 0.7,
    });
    expect(chat?.detail).toBe(
      'Slack and MS Teams do the same job. Keep Slack (the most used) and retire MS Teams. Its 10 users move to Slack, which needs 8 more seats.',
    );
    expect(chat?.evidence).toMatchObject({
      reason: 'known_overlap',
      keep: { name: 'Slack', activeSeats: 48, seats: 50, absorbsUsers: 10, seatsToAdd: 8, pricePerSeat: 8 },
      savings: '250 (MS Teams) − 8 Slack seats × 8 = 186',
    });
    // Teams is counted once: it is in the chat group, so not again among video tools.
    const video = consolidations.find((r) => r.tools.includes('Zoom'));
    expect(video).toMatchObject({ tools: ['Zoom', 'Google Meet'], estimatedMonthlySavings: 0 });
    // Nothing is left idle: Slack's two idle seats went to Teams' users, and Teams goes.
    expect(recOf(a, 'remove_unused_seats')).toEqual([]);
    expect(a.costAnalysis.afterSavings?.tools.find((t) => t.name === 'Slack')).toEqual({
      name: 'Slack',
      seats: 58,
      activeSeats: 58,
      monthlyCost: 464,
      retiredBy: null,
    });
  });

  it('same category without a known overlap: consolidate with lower confidence; unknown tools keep the user category', () => {
    const a = run({
      tools: [
        { name: 'Acme Chat', category: 'communication', monthlyCost: 90, seats: 10, activeSeats: 10, owner: 'x' },
        { name: 'Slack', monthlyCost: 80, seats: 10, activeSeats: 3, owner: 'x' },
        { name: 'Homegrown', monthlyCost: 10, owner: 'x' },
      ],
    });
    const [rec] = recOf(a, 'consolidate');
    // Slack's 3 users need 3 more Acme Chat seats at 9: 80 − 27 = 53.
    expect(rec).toMatchObject({ tools: ['Acme Chat', 'Slack'], estimatedMonthlySavings: 53, confidence: 0.5 });
    expect(rec?.evidence.reason).toBe('same_category');
    expect(a.costAnalysis.byTool.find((t) => t.name === 'Homegrown')?.category).toBe('uncategorized');
  });

  it('annual billing: the catalog discount applied to what is paid monthly', () => {
    const a = run({
      tools: [{ name: 'Notion', monthlyCost: 120, billingCycle: 'monthly', seats: 10, activeSeats: 10, owner: 'x' }],
    });
    // Notion Plus: 12 monthly, 10 annually → 1/6 off; 120 × 0.17 (rounded in evidence) = 20.00
    expect(recOf(a, 'annual_billing')).toEqual([
      expect.objectContaining({ tools: ['Notion'], estimatedMonthlySavings: 20, confidence: 0.6 }),
    ]);
  });

  it('renegotiate: paying more than 20% above the dearest list price per seat', () => {
    const a = run({ tools: [{ name: 'Slack', monthlyCost: 250, seats: 10, activeSeats: 10, owner: 'x' }] });
    // 25.00 a seat; Slack's dearest listed tier is Business+ at 18 monthly: (25 − 18) × 10 = 70
    expect(recOf(a, 'renegotiate')).toEqual([
      expect.objectContaining({ tools: ['Slack'], estimatedMonthlySavings: 70 }),
    ]);
    expect(recOf(a, 'renegotiate')[0]?.evidence).toMatchObject({ tier: 'Business+', listPrice: 18 });
    expect(recOf(a, 'downgrade_plan')).toEqual([]);
  });

  it('downgrade: the unit price identifies a higher tier; the next tier down is suggested, with both in evidence', () => {
    const a = run({
      tools: [{ name: 'Slack', annualCost: 1800, billingCycle: 'annual', seats: 10, activeSeats: 10, owner: 'x' }],
    });
    // 1800 / 12 / 10 = 15.00 a seat = Business+ billed annually; Pro is 7.25: (15 − 7.25) × 10 = 77.50
    const [rec] = recOf(a, 'downgrade_plan');
    expect(rec).toMatchObject({ title: 'Check whether Slack Pro is enough', estimatedMonthlySavings: 77.5 });
    expect(rec?.detail).toContain('SAML SSO');
    expect(rec?.evidence).toMatchObject({
      seats: 10,
      unitPrice: 15,
      billingCycle: 'annual',
      currentTier: { name: 'Business+', listPrice: 15, sso: true },
      lowerTier: { name: 'Pro', listPrice: 7.25, sso: false },
      savings: '150 − 10 × 7.25 = 77.5',
    });
    // Paying a higher tier is not overpaying, and the lowest tier has nothing below it.
    expect(recOf(a, 'renegotiate')).toEqual([]);
    const onPro = run({
      tools: [{ name: 'Slack', monthlyCost: 87.5, billingCycle: 'monthly', seats: 10, owner: 'x' }],
    });
    expect(recOf(onPro, 'downgrade_plan')).toEqual([]);
  });

  it('downgrade is withheld where it would take SSO away from 25+ people; a tier without SSO is a risk', () => {
    const business = run({
      tools: [{ name: 'Slack', annualCost: 5400, billingCycle: 'annual', seats: 30, activeSeats: 30, owner: 'x' }],
    });
    expect(recOf(business, 'downgrade_plan')).toEqual([]);
    expect(business.riskAssessment.factors.map((f) => f.type)).not.toContain('no_sso');

    // 30 seats on Pro (8.75 monthly): no SSO on the plan paid for.
    const pro = run({
      tools: [{ name: 'Slack', monthlyCost: 262.5, billingCycle: 'monthly', seats: 30, activeSeats: 30, owner: 'x' }],
    });
    expect(pro.riskAssessment.factors).toContainEqual(
      expect.objectContaining({ type: 'no_sso', severity: 'high', tools: ['Slack'] }),
    );
    const [security] = recOf(pro, 'security');
    expect(security?.detail).toBe('Slack (Pro; SSO on Business+) has 25+ seats and no SSO on the plan paid for.');
    expect(security?.evidence).toMatchObject({
      tools: [{ name: 'Slack', seats: 30, tierPaidFor: 'Pro', ssoOn: 'Business+' }],
    });
    // And annual billing on Pro: 262.50 × (1 − 7.25 / 8.75) = 45.00
    expect(recOf(pro, 'annual_billing')).toEqual([expect.objectContaining({ estimatedMonthlySavings: 45 })]);
  });

  it('savings add up: idle seats, then the lower tier on the seats kept, then annual billing on what is left', () => {
    const a = run({
      tools: [{ name: 'Slack', monthlyCost: 360, billingCycle: 'monthly', seats: 20, activeSeats: 12, owner: 'x' }],
    });
    // 18.00 a seat = Business+ monthly. Idle: 8 × 18 = 144. Downgrade the 12 kept seats to Pro
    // (12 < 25, so losing SSO is allowed): (18 − 8.75) × 12 = 111. Annual billing on Pro:
    // 105 × (1 − 7.25 / 8.75) = 18. Together 273 = 360 − 12 × 7.25: exactly what would be left.
    expect(recOf(a, 'remove_unused_seats')[0]?.estimatedMonthlySavings).toBe(144);
    expect(recOf(a, 'downgrade_plan')[0]?.estimatedMonthlySavings).toBe(111);
    const [annual] = recOf(a, 'annual_billing');
    expect(annual).toMatchObject({ estimatedMonthlySavings: 18 });
    expect(annual?.evidence).toMatchObject({
      tier: 'Pro',
      monthlyCost: 105,
      monthlyCostIs: 'after the changes above',
    });
    expect(a.summary.potentialMonthlySavings).toBe(273);
  });

  it("the issue's 48-person stack: netted savings whose total is their sum, each step on what the last left", () => {
    const monthly = (name: string, monthlyCost: number, seats: number, activeSeats: number) => ({
      name,
      monthlyCost,
      billingCycle: 'monthly' as const,
      seats,
      activeSeats,
      owner: 'it@example.com',
    });
    const a = analyze({
      today: '2026-12-01',
      stack: {
        currency: 'USD',
        employeeCount: 48,
        tools: [
          monthly('Slack', 437.5, 50, 47),
          monthly('Microsoft Teams', 200, 50, 5),
          monthly('Asana', 337.25, 25, 11),
          monthly('Jira', 430, 50, 44),
          monthly('Notion', 240, 20, 19),
          monthly('Confluence', 128, 20, 3),
          monthly('Dropbox', 180, 12, 2),
          monthly('Zoom', 159.9, 10, 9),
        ],
      },
    });
    const byTitle = new Map(a.recommendations.map((r) => [r.title, r]));
    // Teams' 5 users fill Slack's 3 idle seats and need 2 more at 437.50 ÷ 50 = 8.75.
    expect(byTitle.get('Consolidate team chat on Slack')?.evidence).toMatchObject({
      step: 1,
      savings: '200 (Microsoft Teams) − 2 Slack seats × 8.75 = 182.5',
      monthlyCostAfter: 1930.15,
    });
    // Asana's 11 users: 6 idle Jira seats, 5 more at 8.60. Confluence's 3: 1 idle Notion seat, 2 more at 12.
    expect(byTitle.get('Consolidate project tracking on Jira')?.estimatedMonthlySavings).toBe(294.25);
    expect(byTitle.get('Consolidate docs and wiki on Notion')?.estimatedMonthlySavings).toBe(104);
    // So no idle seats are left on Slack, Jira or Notion to remove; Dropbox and Zoom keep theirs.
    expect(
      a.recommendations
        .filter((r) => r.type === 'remove_unused_seats')
        .map((r) => [r.tools[0], r.estimatedMonthlySavings]),
    ).toEqual([
      ['Dropbox', 150],
      ['Zoom', 15.99],
    ]);
    // Annual billing on what is left: Slack's 52 seats, not the 50 listed (52 × 8.75 = 455).
    expect(byTitle.get('Switch Slack to annual billing')?.evidence).toMatchObject({ monthlyCost: 455 });
    // The headline is exactly the sum shown, and the bill after is the bill minus it.
    const sum = a.recommendations.reduce((cents, r) => cents + Math.round(r.estimatedMonthlySavings * 100), 0);
    expect(Math.round(a.summary.potentialMonthlySavings * 100)).toBe(sum);
    expect(a.summary.potentialMonthlySavings).toBe(899.74);
    expect(a.costAnalysis.afterSavings?.monthlyCost).toBe(1212.91); // 2112.65 − 899.74
    expect(a.costAnalysis.afterSavings?.tools.find((t) => t.name === 'Slack')).toMatchObject({
      seats: 52,
      activeSeats: 52,
    });
  });

  it('a consolidation that would cost more seats than it saves is not recommended', () => {
    const a = run({
      tools: [
        { name: 'Slack', monthlyCost: 500, seats: 20, activeSeats: 20, owner: 'x' },
        { name: 'Microsoft Teams', monthlyCost: 40, seats: 10, activeSeats: 10, owner: 'x' },
      ],
    });
    // 10 more Slack seats at 25 = 250 to save 40.
    expect(recOf(a, 'consolidate')).toEqual([]);
  });

  it("list prices in the stack's currency with the organization's rate; without one, named and not used", () => {
    const stack: StackData = {
      currency: 'EUR',
      tools: [{ name: 'Slack', monthlyCost: 162, billingCycle: 'monthly', seats: 10, activeSeats: 10, owner: 'x' }],
    };
    // 16.20 EUR a seat = Business+ at 18 USD × 0.9; Pro is 8.75 USD = 7.88 EUR: 162 − 10 × 7.88 = 83.20
    const converted = run(stack, { USD: 0.9 });
    expect(converted.costAnalysis.listPrices).toEqual({ currency: 'USD', rate: 0.9 });
    const [downgrade, ...others] = recOf(converted, 'downgrade_plan');
    expect(others).toEqual([]);
    expect(downgrade?.estimatedMonthlySavings).toBe(83.2);
    expect(downgrade?.evidence).toMatchObject({
      lowerTierPrice: 7.88,
      usdRate: 0.9,
      savings: '162 − 10 × 7.88 = 83.2',
    });
    const unconverted = run(stack);
    expect(unconverted.costAnalysis.listPrices).toEqual({ currency: 'USD', rate: null });
    expect(recOf(unconverted, 'downgrade_plan')).toEqual([]);
    expect(recOf(unconverted, 'renegotiate')).toEqual([]);
  });

  it('renewals in 90 days with cancel-by dates, flagged when near', () => {
    const a = run({
      tools: [
        { name: 'Salesforce', monthlyCost: 1000, contractEndDate: '2025-07-01', noticePeriodDays: 30, owner: 'x' },
        { name: 'HubSpot', monthlyCost: 500, renewalDate: '2025-08-15', owner: 'x' },
        { name: 'Jira', monthlyCost: 100, renewalDate: '2025-12-01', owner: 'x' },
      ],
    });
    expect(a.costAnalysis.renewalsNext90Days).toEqual([
      { name: 'Salesforce', date: '2025-07-01', cancelBy: '2025-06-01', monthlyCost: 1000 },
      { name: 'HubSpot', date: '2025-08-15', cancelBy: null, monthlyCost: 500 },
    ]);
    const renewal = recOf(a, 'renewal');
    expect(renewal).toHaveLength(1);
    expect(renewal[0]).toMatchObject({
      tools: ['Salesforce'],
      priority: 'high',
      title: 'Decide on Salesforce by 2025-06-01',
    });
    expect(renewal[0]?.evidence).toMatchObject({ daysLeft: 0, cancelBy: '2025-06-01' });
    expect(renewal[0]?.detail).toBe('The contract ends on 2025-07-01 and renews automatically; notice period 30 days.');
    // Every tool's next renewal, beyond the 90 days too (Jira), in the stack's order.
    expect(a.costAnalysis.nextRenewals).toEqual([
      { name: 'Salesforce', listed: '2025-07-01', date: '2025-07-01' },
      { name: 'HubSpot', listed: '2025-08-15', date: '2025-08-15' },
      { name: 'Jira', listed: '2025-12-01', date: '2025-12-01' },
    ]);
  });

  it('renewal dates that have passed roll forward by the billing cycle; a contract that does not renew drops out', () => {
    const a = run({
      tools: [
        // Annual (and unknown cycle = annual): a year later, 2025-06-20.
        { name: 'Salesforce', monthlyCost: 1000, renewalDate: '2024-06-20', noticePeriodDays: 30, owner: 'x' },
        { name: 'HubSpot', monthlyCost: 500, renewalDate: '2023-07-15', owner: 'x' },
        // Monthly from the 31st: clamped to the month's last day, the next one on or after today.
        { name: 'Jira', monthlyCost: 100, billingCycle: 'monthly', renewalDate: '2025-01-31', owner: 'x' },
        { name: 'Zoom', monthlyCost: 50, renewalDate: '2025-03-01', autoRenew: false, owner: 'x' },
      ],
    });
    expect(a.costAnalysis.renewalsNext90Days.map((r) => [r.name, r.date, r.cancelBy])).toEqual(
      [
        ['Jira', '2025-06-30', null],
        ['Salesforce', '2025-06-20', '2025-05-21'],
        ['HubSpot', '2025-07-15', null],
      ].sort((x, y) => x[1]!.localeCompare(y[1]!)),
    );
    // The list of tools shows the same dates: rolled forward, none for a contract that ends.
    expect(a.costAnalysis.nextRenewals).toEqual([
      { name: 'Salesforce', listed: '2024-06-20', date: '2025-06-20' },
      { name: 'HubSpot', listed: '2023-07-15', date: '2025-07-15' },
      { name: 'Jira', listed: '2025-01-31', date: '2025-06-30' },
      { name: 'Zoom', listed: '2025-03-01', date: null },
    ]);
    const salesforce = a.recommendations.find((r) => r.type === 'renewal' && r.tools[0] === 'Salesforce');
    expect(salesforce?.evidence).toMatchObject({
      contractEnd: '2025-06-20',
      listedDate: '2024-06-20',
      rolledForwardBy: 'annual',
    });
    expect(nextRenewal('2025-01-31', 'monthly', undefined, '2025-02-01')).toBe('2025-02-28');
    expect(nextRenewal('2024-02-29', 'annual', true, '2025-01-01')).toBe('2025-02-28');
    expect(nextRenewal('2025-06-01', 'annual', false, '2025-06-01')).toBe('2025-06-01');
    expect(nextRenewal('2025-05-31', 'monthly', false, '2025-06-01')).toBeNull();
  });

  it('risk: unknown tools, tools without an owner, vendor concentration, trials ending', () => {
    const a = run({
      tools: [
        { name: 'Microsoft 365', monthlyCost: 700, owner: 'it' },
        { name: 'OneDrive', monthlyCost: 100, owner: 'it' },
        { name: 'Shady Scraper', monthlyCost: 50 },
        { name: 'Trial Thing', monthlyCost: 0, trialEndsAt: '2025-06-10', owner: 'x' },
      ],
    });
    const types = a.riskAssessment.factors.map((f) => f.type);
    expect(types).toEqual(['unknown_tools', 'no_owner', 'vendor_concentration', 'trial_ending']);
    const concentration = a.riskAssessment.factors.find((f) => f.type === 'vendor_concentration');
    expect(concentration).toMatchObject({
      severity: 'high',
      tools: ['Microsoft 365', 'OneDrive'],
      detail: '94% of spend is with Microsoft.',
    });
    // low 5 + low 5 + high 25 + medium 15 = 50
    expect(a.riskAssessment).toMatchObject({ score: 50, level: 'high' });
    // Each risk names its tools (three of four have an owner: the one without is named).
    expect(a.riskAssessment.factors.map((f) => f.detail)).toEqual([
      'Not in the catalog: Shady Scraper and Trial Thing — check who approved them and what data they hold (shadow IT).',
      'No owner named for Shady Scraper: renewals and access reviews fall through.',
      '94% of spend is with Microsoft.',
      'Trials of Trial Thing end within 14 days and may turn into paid plans.',
    ]);
    const many = run({ tools: Array.from({ length: 8 }, (_, i) => ({ name: `Tool ${i + 1}`, monthlyCost: 10 })) });
    expect(many.riskAssessment.factors.find((f) => f.type === 'no_owner')?.detail).toBe(
      'No owner named for Tool 1, Tool 2, Tool 3, Tool 4, Tool 5 and 3 more: renewals and access reviews fall through.',
    );
  });

  it('currency: tools in another currency are converted with the given rate, or left out and reported', () => {
    const stack: StackData = {
      currency: 'USD',
      tools: [
        { name: 'Slack', monthlyCost: 100, owner: 'x' },
        { name: 'Pleo', monthlyCost: 50, currency: 'EUR', owner: 'x' },
      ],
    };
    expect(run(stack, { EUR: 1.1 }).summary.totalMonthlyCost).toBe(155);
    const unconverted = run(stack);
    expect(unconverted.summary.totalMonthlyCost).toBe(100);
    expect(unconverted.costAnalysis.missingRates).toEqual(['EUR']);
  });

  it('recommendations are sorted by savings, and the same input gives the same output', () => {
    const stack: StackData = {
      tools: [
        { name: 'Asana', monthlyCost: 100, seats: 10, activeSeats: 9, owner: 'x' },
        { name: 'Loom', monthlyCost: 500, seats: 5, activeSeats: 0, owner: 'x' },
        { name: 'Zoom', monthlyCost: 200, seats: 10, activeSeats: 5, owner: 'x' },
      ],
    };
    const a = run(stack);
    const savings = a.recommendations.map((r) => r.estimatedMonthlySavings);
    expect(savings).toEqual([...savings].sort((x, y) => y - x));
    expect(savings).toEqual([500, 100, 10]);
    expect(run(stack)).toEqual(a);
    expect(a.summary.healthScore).toBeGreaterThanOrEqual(0);
    expect(a.summary.healthScore).toBeLessThanOrEqual(100);
    expect(a.summary.headline).toBe('3 tools cost $800.00 a month; $610.00 (76%) could be saved.');
  });

  it('refuses activeSeats above seats and impossible dates', () => {
    expect(
      stackProblems({
        tools: [
          { name: 'A', seats: 2, activeSeats: 3 },
          { name: 'B', renewalDate: '2025-02-30' },
        ],
      }),
    ).toEqual([
      { field: 'body.stackData.tools.0.activeSeats', message: 'is more than seats (2)' },
      { field: 'body.stackData.tools.1.renewalDate', message: 'is not a date in the calendar' },
    ]);
  });
});

describe('catalog', () => {
  it('has at least 150 tools, each overlap names catalog tools, and unknown facts are null, not guessed', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(150);
    const names = new Set(CATALOG.map((e) => e.name));
    expect(names.size).toBe(CATALOG.length);
    for (const group of OVERLAP_GROUPS) for (const t of group.tools) expect(names.has(t), t).toBe(true);
    for (const entry of CATALOG) {
      if (entry.price) {
        expect(entry.price.source, entry.name).toBeTruthy();
        expect(entry.price.checkedOn, entry.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      if (entry.sso.available !== null) expect(entry.sso.source, entry.name).toBeTruthy();
      // A price ladder goes from the cheapest tier up, whichever billing cycle is known.
      const tiers = entry.price?.tiers ?? [];
      for (const cycle of ['monthly', 'annualMonthly'] as const) {
        const known = tiers.map((t) => t[cycle]).filter((p): p is number => p !== null);
        expect(known, `${entry.name} ${cycle}`).toEqual([...known].sort((a, b) => a - b));
      }
      for (const t of tiers) {
        if (t.monthly !== null && t.annualMonthly !== null) expect(t.annualMonthly).toBeLessThanOrEqual(t.monthly);
      }
    }
    expect(CATALOG.filter((e) => e.price).length).toBeGreaterThanOrEqual(12);
  });

  it('finds tools by name or alias, whatever the spelling', () => {
    expect(findInCatalog('MS Teams')?.name).toBe('Microsoft Teams');
    expect(findInCatalog('monday')?.name).toBe('Monday.com');
    expect(findInCatalog('G Suite')?.name).toBe('Google Workspace');
    expect(findInCatalog('Nothing Like It')).toBeNull();
    expect(
      searchCatalog('fig')
        .map((e) => e.name)
        .slice(0, 2),
    ).toEqual(['FigJam', 'Figma']);
  });
});
