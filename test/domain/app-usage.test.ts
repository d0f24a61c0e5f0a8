/**
 * Usage from identity providers, pure (#17 point 1): counting per app (people, not events;
 * the "never" dates providers send are not activity), matching apps to catalog tools, and the
 * stack the analysis gets — over generated stacks and usage (fast-check): only tools a
 * provider knows change, active seats never exceed seats, nothing else is touched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { toolKey } from '../../src/domain/analysis/catalog.js';
import { matchCatalogTool, UsageTally, withMeasuredUsage, type MeasuredUsage } from '../../src/domain/app-usage.js';
import { nextLink } from '../../src/integrations/okta.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

describe('counting usage', () => {
  it('counts people once per app, by their latest use, in 30 and 90 days; "never" is not a use', () => {
    const [slack] = new UsageTally()
      .assign('Slack', 'Ann@acme.test')
      .seen('Slack', 'ann@acme.test', daysAgo(100))
      .seen('Slack', 'ANN@acme.test', daysAgo(3))
      .seen('Slack', 'bob@acme.test', daysAgo(45))
      .seen('Slack', 'cid@acme.test', new Date('1970-01-01T00:00:00Z'))
      .seen('Slack', 'dee@acme.test', null)
      .result(NOW);
    expect(slack).toEqual({
      appName: 'Slack',
      toolName: 'Slack',
      purchased: null,
      assigned: 1,
      active30: 1,
      active90: 2,
      users: 2,
      evidence: 'sign_in',
    });
  });

  it('matches the names identity providers give apps to catalog tools, and leaves the unknown unmatched', () => {
    expect(matchCatalogTool('Salesforce.com')).toBe('Salesforce');
    expect(matchCatalogTool('Slack SSO')).toBe('Slack');
    expect(matchCatalogTool('Zoom (SAML)')).toBe('Zoom');
    expect(matchCatalogTool('Atlassian Jira Cloud')).toBe('Jira');
    expect(matchCatalogTool('Shady PDF Converter')).toBeNull();
    // By the domains of the app's URLs first: an app an admin named after the team.
    expect(matchCatalogTool('Sales team CRM', ['contoso.my.salesforce.com'])).toBe('Salesforce');
    expect(matchCatalogTool('Design', ['www.figma.com'])).toBe('Figma');
    expect(matchCatalogTool('Slack SSO', ['login.example.com'])).toBe('Slack');
  });

  it('reads Okta’s Link headers, one per line or joined', () => {
    const joined = new Headers({
      link: '<https://acme.okta.com/api/v1/apps?limit=2>; rel="self", <https://acme.okta.com/api/v1/apps?after=0oa2&limit=2>; rel="next"',
    });
    expect(nextLink(joined)).toBe('https://acme.okta.com/api/v1/apps?after=0oa2&limit=2');
    const separate = new Headers();
    separate.append('link', '<https://a.okta.com/x>; rel="self"');
    separate.append('link', '<https://a.okta.com/x?after=1>; rel="next"');
    expect(nextLink(separate)).toBe('https://a.okta.com/x?after=1');
    expect(nextLink(new Headers({ link: '<https://a.okta.com/x>; rel="self"' }))).toBeNull();
  });
});

const NAMES = ['Slack', 'Zoom', 'Notion', 'Salesforce', 'Acme Internal', 'Miro'];

it('the measured stack: only known tools change, active seats within seats, nothing else touched', () => {
  const tool = fc.record(
    {
      name: fc.constantFrom(...NAMES),
      seats: fc.integer({ min: 0, max: 500 }),
      activeSeats: fc.integer({ min: 0, max: 500 }),
      monthlyCost: fc.integer({ min: 0, max: 10_000 }),
    },
    { requiredKeys: ['name'] },
  );
  const measured: fc.Arbitrary<MeasuredUsage> = fc.record({
    appName: fc.constantFrom(...NAMES, 'Slack SSO', 'Unknown App'),
    toolName: fc.option(fc.constantFrom(...NAMES), { nil: null }),
    purchased: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
    assigned: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
    active30: fc.integer({ min: 0, max: 600 }),
    active90: fc.integer({ min: 0, max: 600 }),
    users: fc.integer({ min: 0, max: 600 }),
    evidence: fc.constantFrom('sign_in' as const, 'licence' as const, 'oauth_grant' as const),
    syncedAt: fc.constantFrom(NOW, new Date(NOW.getTime() - 30 * 86_400_000)),
    provider: fc.constantFrom('google', 'microsoft', 'okta'),
  });
  fc.assert(
    fc.property(fc.array(tool, { maxLength: 8 }), fc.array(measured, { maxLength: 8 }), (tools, usage) => {
      const stack = { currency: 'USD', tools };
      const before = structuredClone(stack);
      const { stack: out, used } = withMeasuredUsage(stack, usage, toolKey, NOW);
      expect(stack).toEqual(before); // pure
      expect(out.tools).toHaveLength(tools.length);
      // Only evidence of use, recent, with someone active, speaks for a tool.
      const known = new Set(
        usage
          .filter((u) => u.evidence !== 'oauth_grant' && u.active90 > 0 && u.syncedAt.getTime() === NOW.getTime())
          .map((u) => toolKey(u.toolName ?? u.appName)),
      );
      out.tools.forEach((t, i) => {
        const original = tools[i]!;
        expect(t.name).toBe(original.name);
        expect(t.monthlyCost).toBe(original.monthlyCost);
        if (!known.has(toolKey(original.name))) expect(t).toEqual(original);
        else {
          if (original.seats !== undefined) expect(t.seats).toBe(original.seats);
          if (t.seats !== undefined) expect(t.activeSeats!).toBeLessThanOrEqual(t.seats);
        }
      });
      // One entry per changed tool, saying what was typed and what was used.
      expect(used.map((u) => u.tool)).toEqual(out.tools.filter((t) => known.has(toolKey(t.name))).map((t) => t.name));
      for (const u of used) expect(u.activeSeats).toBeLessThanOrEqual(u.active90);
    }),
    { seed: 20261201, numRuns: 300 },
  );
});
