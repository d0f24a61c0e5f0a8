/** What the spend API answers (the service builds them; the web app reads them). */
export interface StatementImport {
  layout: string;
  /** New software lines (recognised, or of a merchant the organization said is software). */
  imported: number;
  /** New charges nobody recognised yet, kept for review (shadow IT shows up here). */
  unreviewed: number;
  /** Rows that are not spend (money in, zero) or of a merchant the organization said is not software. */
  skipped: number;
  duplicates: number;
  recognized: { toolName: string; vendor: string; amount: number; currency: string; date: string }[];
  unrecognized: { description: string; amount: number; date: string }[];
}

export interface SpendSummary {
  currency: string;
  byTool: { toolName: string; total: number; months: { month: string; amount: number }[] }[];
  byMonth: { month: string; total: number }[];
  missingRates: string[];
}
