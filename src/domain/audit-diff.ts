/** What changed between two audits' stacks (the API's answer, and the web app's type of it). */
export interface AuditDiff {
  from: { id: string; name: string; createdAt: string | null };
  to: { id: string; name: string; createdAt: string | null };
  toolsAdded: string[];
  toolsRemoved: string[];
  changed: { name: string; field: string; before: unknown; after: unknown }[];
  totalMonthlyCostChange: number;
}
