/**
 * Downgrade (after the seat changes): a tool whose price per seat is a higher tier of the
 * catalog's ladder: check whether the next tier down is enough; the saving is what is left
 * of its cost minus the lower tier's list price on the seats left. Not where it would take
 * SAML SSO away from RULES.ssoSeatThreshold or more seats.
 * Reads: the tier paid for, the seats and cost left. Writes: the tier left (the lower one)
 * and the cost left (its list price on those seats).
 */
import { fromCents } from '../../money.js';
import { listPrice, RULES } from './common.js';
import { leave, listCents, recommend, type Finding, type SavingRule } from './state.js';

export const downgradePlan: SavingRule = (state, context) => {
  const findings: Finding[] = [];
  const tools = state.tools.map((t) => {
    const match = t.tier;
    if (t.left.retiredBy || !match || match.index === 0) return t;
    const current = match.tiers[match.index]!;
    const lower = match.tiers[match.index - 1]!;
    const lowerList = listPrice(lower, match.cycle);
    const lowerCents = lowerList === null ? null : listCents(context, lowerList);
    if (lowerCents === null) return t;
    const seats = t.left.seats;
    const losesSso = current.sso === true && lower.sso !== true;
    if (losesSso && seats >= RULES.ssoSeatThreshold) return t;
    const before = t.left.cents;
    const after = lowerCents * seats;
    const savings = before - after;
    if (savings <= 0) return t;
    findings.push(
      recommend(
        context,
        {
          type: 'downgrade_plan',
          title: `Check whether ${t.tool.name} ${lower.name} is enough`,
          detail: `You pay ${fromCents(match.unitCents)} a seat a month, the ${current.name} price; ${lower.name} lists ${fromCents(lowerCents)}. If the team does not use what ${current.name} adds${losesSso ? ' (SAML SSO among it)' : ''}, moving down saves the difference.`,
          tools: [t.tool.name],
          confidence: 0.4,
          evidence: {
            seats,
            unitPrice: fromCents(match.unitCents),
            billingCycle: match.cycle,
            currentTier: { name: current.name, listPrice: listPrice(current, match.cycle), sso: current.sso },
            lowerTier: { name: lower.name, listPrice: lowerList, sso: lower.sso },
            ...(context.usdRate === 1 ? {} : { lowerTierPrice: fromCents(lowerCents), usdRate: context.usdRate }),
            source: t.catalog!.price!.source,
            monthlyCost: fromCents(before),
            savings: `${fromCents(before)} − ${seats} × ${fromCents(lowerCents)} = ${fromCents(savings)}`,
          },
        },
        savings,
      ),
    );
    return leave(t, { tier: lower, cents: after });
  });
  return { tools, findings };
};
