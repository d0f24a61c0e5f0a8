/**
 * "Download report": the audit's report as PDF and CSV (the server makes both; a plain link,
 * so the browser downloads with the session cookie, or with nothing on a public link).
 */
export function ReportLinks({ base }: { base: string }) {
  return (
    <>
      <a role="button" className="secondary outline" href={`${base}/report.pdf`} download>
        Download report (PDF)
      </a>
      <a role="button" className="secondary outline" href={`${base}/report.csv`} download>
        CSV
      </a>
    </>
  );
}
