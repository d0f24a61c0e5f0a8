/**
 * The stack being audited (`stackData`), as a TypeBox schema: validation, types and the
 * OpenAPI document from one source. Only `tools[].name` is required.
 */
import { Type, type Static } from 'typebox';

import { isCalendarDay } from '../days.js';

export const MAX_TOOLS = 1000;
const Text = (maxLength: number) => Type.String({ maxLength });
const Money = Type.Number({ minimum: 0, maximum: 1e10 });
const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
// Years 0001–9999: PostgreSQL's DATE has no year 0000.
export const DAY_PATTERN = '^(000[1-9]|00[1-9]\\d|0[1-9]\\d\\d|[1-9]\\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
export const Day = Type.String({ pattern: DAY_PATTERN, description: 'YYYY-MM-DD' });
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
export const CurrencyCode = Type.String({ pattern: CURRENCY_PATTERN, description: 'ISO 4217, e.g. USD' });

export const ToolSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    vendor: Type.Optional(Text(255)),
    category: Type.Optional(Text(100)),
    monthlyCost: Type.Optional(Money),
    /** For annual contracts: the yearly amount; the analysis uses a twelfth of it a month. */
    annualCost: Type.Optional(Money),
    currency: Type.Optional(CurrencyCode),
    billingCycle: Type.Optional(Type.Union([Type.Literal('monthly'), Type.Literal('annual')])),
    pricingModel: Type.Optional(Type.Union([Type.Literal('per_seat'), Type.Literal('flat'), Type.Literal('usage')])),
    seats: Type.Optional(Count),
    activeSeats: Type.Optional(Count),
    renewalDate: Type.Optional(Day),
    contractEndDate: Type.Optional(Day),
    autoRenew: Type.Optional(Type.Boolean()),
    noticePeriodDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    trialEndsAt: Type.Optional(Day),
    owner: Type.Optional(Text(255)),
    department: Type.Optional(Text(255)),
    tags: Type.Optional(Type.Array(Text(100), { maxItems: 50 })),
    notes: Type.Optional(Text(5000)),
  },
  { additionalProperties: false },
);

export const StackDataSchema = Type.Object(
  {
    currency: Type.Optional(CurrencyCode),
    employeeCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    tools: Type.Array(ToolSchema, { maxItems: MAX_TOOLS }),
  },
  { additionalProperties: false },
);

export type Tool = Static<typeof ToolSchema>;
export type StackData = Static<typeof StackDataSchema>;

/** What a schema cannot say: relations between fields. Returns `{field, message}` per problem. */
export function stackProblems(stack: StackData, prefix = 'body.stackData'): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  stack.tools.forEach((tool, i) => {
    if (tool.seats !== undefined && tool.activeSeats !== undefined && tool.activeSeats > tool.seats) {
      problems.push({ field: `${prefix}.tools.${i}.activeSeats`, message: `is more than seats (${tool.seats})` });
    }
    for (const key of ['renewalDate', 'contractEndDate', 'trialEndsAt'] as const) {
      const value = tool[key];
      if (value !== undefined && !isCalendarDay(value)) {
        problems.push({ field: `${prefix}.tools.${i}.${key}`, message: 'is not a date in the calendar' });
      }
    }
  });
  return problems;
}
