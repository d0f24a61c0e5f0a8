import { expect, it } from 'vitest';

import { AnalysisResultRepository } from '../../src/repositories/analysis-result.repository.js';
import { AccessRepository } from '../../src/repositories/access.repository.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { describeEachDatabase } from '../harness/databases.js';
import { makeAudit, makeTenant } from '../harness/factories.js';

describeEachDatabase('audits and analysis results', (get) => {
  const audits = () => new AuditRepository(get().database.db);
  const analyses = () => new AnalysisResultRepository(get().database.db);

  it('creates a pending audit with its stack data kept as given', async () => {
    const { organization, admin } = await makeTenant(get().database.db);
    const stackData = { currency: 'EUR', employeeCount: 40, tools: [{ name: 'Figma', 'odd key': [1, { x: null }] }] };
    const audit = await audits().create({ organizationId: organization.id, userId: admin.id, name: 'Q1', stackData });
    expect(audit).toMatchObject({ status: 'pending', completedAt: null, name: 'Q1' });
    expect(audit.id).toMatch(/^audit_/);
    expect((await audits().findById(organization.id, audit.id))?.stackData).toEqual(stackData);
  });

  it('never reads, changes or deletes an audit of another organization', async () => {
    const a = await makeTenant(get().database.db);
    const b = await makeTenant(get().database.db);
    const audit = await makeAudit(get().database.db, a.organization.id, a.admin.id);
    expect(await audits().findById(b.organization.id, audit.id)).toBeNull();
    expect(await audits().rename(b.organization.id, audit.id, 'stolen')).toBeNull();
    expect(await audits().delete(b.organization.id, audit.id)).toBe(false);
    expect(JSON.parse((await audits().listPage(b.organization.id)).items)).toEqual([]);
    expect((await audits().findById(a.organization.id, audit.id))?.name).toBe('Q1 audit');
  });

  it('pages newest first with a stable cursor, and filters by status', async () => {
    const { organization, admin } = await makeTenant(get().database.db);
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await makeAudit(get().database.db, organization.id, admin.id, `A${i}`));
    await audits().setStatus(organization.id, made[2]!.id, 'completed');

    // The page's items come as the answer's JSON text, written by PostgreSQL.
    const list = async (options: Parameters<AuditRepository['listPage']>[1]) => {
      const page = await audits().listPage(organization.id, options);
      return { items: JSON.parse(page.items) as { name: string; completedAt: string | null }[], next: page.nextCursor };
    };
    const first = await list({ limit: 3 });
    expect(first.items.map((a) => a.name)).toEqual(['A6', 'A5', 'A4']);
    expect(first.next).not.toBeNull();
    // An insert between pages neither repeats nor skips a row.
    await makeAudit(get().database.db, organization.id, admin.id, 'newer');
    const second = await list({ limit: 3, cursor: first.next });
    expect(second.items.map((a) => a.name)).toEqual(['A3', 'A2', 'A1']);
    const third = await list({ limit: 3, cursor: second.next });
    expect(third.items.map((a) => a.name)).toEqual(['A0']);
    expect(third.next).toBeNull();
    // A page that ends exactly at the last audit has no next page.
    expect((await list({ limit: 8 })).next).toBeNull();
    expect((await list({ limit: 7 })).next).not.toBeNull();

    const completed = await list({ status: 'completed' });
    expect(completed.items.map((a) => a.name)).toEqual(['A2']);
    const stored = await audits().findById(organization.id, made[2]!.id);
    expect(completed.items[0]?.completedAt).toBe(stored!.completedAt!.toISOString());
    await expect(audits().listPage(organization.id, { cursor: 'garbage' })).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('counts audits created since a moment (the monthly limit)', async () => {
    const { organization, admin } = await makeTenant(get().database.db);
    const before = new Date();
    await makeAudit(get().database.db, organization.id, admin.id);
    await makeAudit(get().database.db, organization.id, admin.id);
    expect(await audits().countCreatedSince(organization.id, before)).toBe(2);
    expect(await audits().countCreatedSince(organization.id, new Date(Date.now() + 60_000))).toBe(0);
  });

  it('new stack data sends the audit back to pending', async () => {
    const { organization, admin } = await makeTenant(get().database.db);
    const audit = await makeAudit(get().database.db, organization.id, admin.id);
    await audits().setStatus(organization.id, audit.id, 'completed');
    const changed = await audits().replaceStackData(organization.id, audit.id, { tools: [] });
    expect(changed).toMatchObject({ status: 'pending', completedAt: null, stackData: { tools: [] } });
  });

  it('keeps every analysis run, serves the latest, and deletes them with the audit', async () => {
    const { organization, admin } = await makeTenant(get().database.db);
    const other = await makeTenant(get().database.db);
    const audit = await makeAudit(get().database.db, organization.id, admin.id);
    const run = (headline: string) => ({
      auditId: audit.id,
      summary: { headline },
      recommendations: [{ type: 'cancel' }],
      costAnalysis: { totalMonthlyCost: 10 },
      riskAssessment: { score: 5 },
    });
    expect(await analyses().create(other.organization.id, run('intruder'))).toBeNull();
    const first = await analyses().create(organization.id, run('first'));
    const second = await analyses().create(organization.id, run('second'));
    expect(first?.id).toMatch(/^analysis_/);
    // The audit page's statement: the audit, the caller's level on it and the latest analysis.
    const access = new AccessRepository(get().database.db);
    const opened = await access.auditWithAnalysis(organization.id, audit.id, admin);
    expect(opened?.analysis?.id).toBe(second?.id);
    // Its documents come as the JSON text PostgreSQL stored, for the answer to pass on.
    expect(JSON.parse(opened!.analysis!.summary!)).toEqual({ headline: 'second' });
    expect(JSON.parse(opened!.audit.stackData!)).toEqual(audit.stackData);
    expect(opened).toMatchObject({ visibility: 'organization', level: 'manage' });
    expect((await analyses().listForAudit(organization.id, audit.id)).map((r) => r.summary)).toEqual([
      { headline: 'second' },
      { headline: 'first' },
    ]);
    expect(await access.auditWithAnalysis(other.organization.id, audit.id, admin)).toBeNull();
    // The audit page's answer, written by PostgreSQL: the same audit and latest analysis.
    const page = await access.auditPage(organization.id, audit.id, admin);
    expect(page?.level).toBe('manage');
    const answer = JSON.parse(page!.json!) as {
      access: string;
      audit: { id: string; stackData: unknown };
      analysis: { id: string; summary: unknown };
    };
    expect(answer).toMatchObject({ access: 'manage', audit: { id: audit.id, stackData: audit.stackData } });
    expect(answer.analysis).toMatchObject({ id: second!.id, summary: { headline: 'second' } });
    expect(await access.auditPage(other.organization.id, audit.id, admin)).toBeNull();

    expect(await audits().delete(organization.id, audit.id)).toBe(true);
    expect(await analyses().listForAudit(organization.id, audit.id)).toEqual([]);
  });
});
