/**
 * Downgrade: a tool whose price per seat is a higher tier of the catalog's ladder: check
 * whether the next tier down is enough; the saving is the difference on the seats left. Not
 * where it would take SAML SSO away from RULES.ssoSeatThreshold or more seats.
 * Reads: the tier paid for, the seats left. Writes: the tier left (the lower one) and the
 * cost left (its list price on those seats).
 */
import { fromCents, toCents } from '../../money.js';
import { listPrice, RULES } from './common.js';
import { leave, recommend, type Finding, type SavingRule } from './state.js';

export const downgradePlan: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const tools = state.tools.map((t) => {
    const match = t.tier;
    if (t.left.retiredBy || !match || match.index === 0) return t;
    const current = match.tiers[match.index]!;
    const lower = match.tiers[match.index - 1]!;
    const lowerList = listPrice(lower, match.cycle);
    if (lowerList === null) return t;
    const seats = t.left.seats;
    const losesSso = current.sso === true && lower.sso !== true;
    if (losesSso && seats >= RULES.ssoSeatThreshold) return t;
    const lowerCents = toCents(lowerList);
    const savings = (match.unitCents - lowerCents) * seats;
    if (savings <= 0) return t;
    findings.push(
      recommend(
        context,
        {
          type: 'downgrade_plan',
          title: `Check whether ${t.tool.name} ${lower.name} is enough`,
          detail: `You pay ${fromCents(match.unitCents)} a seat a month, the ${current.name} price; ${lower.name} lists ${lowerList}. If the team does not use what ${current.name} adds${losesSso ? ' (SAML SSO among it)' : ''}, moving down saves the difference.`,
          tools: [t.tool.name],
          confidence: 0.4,
          evidence: {
            seats,
            unitPrice: fromCents(match.unitCents),
            billingCycle: match.cycle,
            currentTier: { name: current.name, listPrice: listPrice(current, match.cycle), sso: current.sso },
            lowerTier: { name: lower.name, listPrice: lowerList, sso: lower.sso },
            source: t.catalog!.price!.source,
            savings: `(${fromCents(match.unitCents)} − ${lowerList}) × ${seats} = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
    return leave(t, { tier: lower, cents: lowerCents * seats });
  });
  return { tools, findings };
};
