/**
 * The AI contract: whether this server and organization use a model, the narrative of an
 * audit's latest analysis, and questions answered about an audit. Every figure in them is
 * the engine's: the model refers to figures by reference and the server writes them in.
 */
import { Type, type Static } from 'typebox';

import { Nullable, NullableTimestamp } from '../../schemas.js';

export const AiStatusSchema = Type.Object({
  available: Type.Boolean({ description: 'an AI endpoint is configured on this server (AI_BASE_URL / AI_API_KEY)' }),
  enabled: Type.Boolean({ description: 'available, and the organization has not turned it off (settings.aiEnabled)' }),
  model: Nullable(Type.String(), { description: 'the model asked; null when not available' }),
  budget: Nullable(
    Type.Object({
      dailyTokens: Type.Integer({ description: 'AI_DAILY_TOKENS: tokens the organization may use a day' }),
      usedToday: Type.Integer({ description: 'tokens used (or held by calls under way) today' }),
      day: Type.String({ description: "today, in the organization's time zone (YYYY-MM-DD)" }),
    }),
    { description: 'admins only; null for other members and when not available' },
  ),
});

export const PartSchema = Type.Object({
  text: Type.String(),
  ref: Nullable(Type.String(), {
    description:
      'the engine fact this text renders (R2 a recommendation, R2.savings its saving, total.monthly, T3 a tool, N1 a renewal…); null: the model’s words',
  }),
  recommendation: Nullable(Type.Integer(), {
    description: "the recommendation it concerns: its index in the analysis's recommendations",
  }),
  money: Nullable(Type.Object({ amount: Type.Number(), currency: Type.String() }), {
    description:
      'a sum of money: its amount and ISO currency (`text` writes it in en-US; a client may write it its way)',
  }),
});

export const NarrativeSchema = Type.Object({
  status: Type.Union([Type.Literal('off'), Type.Literal('pending'), Type.Literal('ready'), Type.Literal('none')], {
    description:
      'off: no AI on this server or for this organization; pending: being written; ready; none: no narrative for the latest analysis (not analysed, or the model’s answers were refused)',
  }),
  analysisId: Nullable(Type.String()),
  model: Nullable(Type.String()),
  createdAt: NullableTimestamp,
  summary: Type.Array(PartSchema),
  plan: Type.Array(
    Type.Object({
      recommendation: Type.Integer({ description: "index in the analysis's recommendations" }),
      title: Type.String(),
      monthlySavings: Type.Number({ description: "the engine's figure, in the analysis's currency" }),
      reason: Type.Array(PartSchema),
    }),
  ),
});

export const QuestionBody = Type.Object(
  { question: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S', description: 'not only spaces' }) },
  { additionalProperties: false },
);

/** A `delta` event of an answer's stream: the next parts of the answer. */
export const AnswerDeltaSchema = Type.Object({ parts: Type.Array(PartSchema) });

/** The `error` event of an answer's stream: the model failed after the answer began (no `done` follows). */
export const AnswerErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

/** The `done` event of an answer's stream. */
export const AnswerDoneSchema = Type.Object({
  citations: Type.Array(
    Type.Object({
      recommendation: Type.Integer(),
      title: Type.String(),
      monthlySavings: Type.Number(),
    }),
  ),
  removedNumbers: Type.Integer({
    description: 'figures the model wrote on its own, left out (only the engine’s figures are shown)',
  }),
  tokens: Type.Integer(),
});

export type AiStatusJson = Static<typeof AiStatusSchema>;
export type PartJson = Static<typeof PartSchema>;
export type NarrativeJson = Static<typeof NarrativeSchema>;
export type AnswerDoneJson = Static<typeof AnswerDoneSchema>;
export type AnswerDeltaJson = Static<typeof AnswerDeltaSchema>;
export type AnswerErrorJson = Static<typeof AnswerErrorSchema>;
