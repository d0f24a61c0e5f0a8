/**
 * Audit reports: `report.pdf` and `report.csv` of an audit (view access, as the audit page)
 * and of a public audit by its link (without people's names, as the public view).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';

import type { AuditReport } from '../../../domain/reports/audit-report.js';
import { auditReportCsv } from '../../../domain/reports/report-csv.js';
import type { Services } from '../../../services/index.js';
import { requireActor } from '../../plugins/auth.js';
import { errors } from '../../schemas.js';
import { AuditParams } from '../audits/contract.js';
import { SharedParams } from '../shares/contract.js';
import { auditReportPdf } from './pdf.js';

const FORMATS = {
  pdf: { type: 'application/pdf', render: auditReportPdf, what: 'PDF' },
  csv: {
    type: 'text/csv; charset=utf-8',
    // A byte-order mark, so that Excel reads the file as UTF-8 (names with accents, €).
    render: async (report: AuditReport) => Buffer.from(`\uFEFF${auditReportCsv(report)}`, 'utf8'),
    what: 'CSV (formula-like text escaped)',
  },
} as const;
type Format = keyof typeof FORMATS;

const fileName = (report: AuditReport, format: Format) =>
  `${report.audit.name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').trim() || 'audit'} — report ${report.generatedOn}.${format}`;

async function send(reply: FastifyReply, report: AuditReport, format: Format) {
  const body = await FORMATS[format].render(report);
  return reply
    .header('Content-Type', FORMATS[format].type)
    .header('Content-Disposition', contentDisposition(fileName(report, format)))
    .send(body);
}

const fileAnswer = (format: Format) => ({
  description: `The report as ${FORMATS[format].what}`,
  content: { [FORMATS[format].type.split(';')[0]!]: { schema: { type: 'string', format: 'binary' } } },
});

export function reportRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['reports'];
    for (const format of Object.keys(FORMATS) as Format[]) {
      app.get(
        `/api/audits/:id/report.${format}`,
        {
          schema: {
            tags,
            summary: `The audit's report as ${FORMATS[format].what}: summary, recommendations with their arithmetic, tools, renewals (view access)`,
            params: AuditParams,
            response: { 200: fileAnswer(format), ...errors(400, 401, 403, 404) },
          },
        },
        async (request, reply) =>
          send(reply, await services.reports.forAudit(requireActor(request), request.params.id), format),
      );
      app.get(
        `/api/shared/:shareToken/report.${format}`,
        {
          schema: {
            tags,
            summary: `A public audit's report as ${FORMATS[format].what}, for anyone with the link (no people's names)`,
            params: SharedParams,
            response: { 200: fileAnswer(format), ...errors(400, 404) },
          },
        },
        async (request, reply) => send(reply, await services.reports.forSharedAudit(request.params.shareToken), format),
      );
    }
  };
}
