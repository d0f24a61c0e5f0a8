import type { Limits, Usage } from '../../api/types';

/** A plan's limit as text. */
export const limitText = (limit: number | null) => (limit === null ? 'unlimited' : String(limit));

/** How much of its plan's limits the organization uses. */
export function UsageMeters({ limits, usage }: { limits: Limits; usage: Usage }) {
  const meter = (label: string, used: number, limit: number | null) => (
    <div>
      <div>
        {label}: <strong>{used}</strong> of {limitText(limit)}
      </div>
      {limit !== null && <progress value={Math.min(used, limit)} max={Math.max(limit, 1)} aria-label={label} />}
    </div>
  );
  return (
    <div className="grid">
      {meter('Audits this month', usage.auditsThisMonth, limits.auditsPerMonth)}
      {meter('Members', usage.members, limits.members)}
    </div>
  );
}
