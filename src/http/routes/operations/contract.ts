/** Health and readiness (no login). */
import { Type, type Static } from 'typebox';

export const Healthy = Type.Object({
  status: Type.Literal('healthy'),
  database: Type.Literal('connected'),
  driver: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
});

export const Unhealthy = Type.Object({
  status: Type.Literal('unhealthy'),
  database: Type.Literal('disconnected'),
  driver: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
});

export type HealthyJson = Static<typeof Healthy>;
export type UnhealthyJson = Static<typeof Unhealthy>;
