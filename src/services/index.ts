/** The services of one server instance, built once over its database and config. */
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AiService } from './ai.service.js';
import { AuditService } from './audit.service.js';
import { AuthService } from './auth.service.js';
import { BillingService } from './billing.service.js';
import { ActivityService } from './activity.service.js';
import { AnalysisService } from './analysis.service.js';
import { CommentService } from './comment.service.js';
import { DigestService } from './digest.service.js';
import { MaintenanceService } from './maintenance.service.js';
import { MeService } from './me.service.js';
import { Notifier } from './notifier.js';
import { SessionCache } from './session-cache.js';
import { OperationsService } from './operations.service.js';
import { IntegrationService } from './integration.service.js';
import { OrganizationService } from './organization.service.js';
import { RenewalService } from './renewal.service.js';
import { ReportService } from './report.service.js';
import { ShareService } from './share.service.js';
import { SavingsService } from './savings.service.js';
import { SpendService } from './spend.service.js';
import { TeamService } from './team.service.js';

export interface Services {
  auth: AuthService;
  organizations: OrganizationService;
  team: TeamService;
  me: MeService;
  audits: AuditService;
  analyses: AnalysisService;
  comments: CommentService;
  shares: ShareService;
  reports: ReportService;
  renewals: RenewalService;
  activity: ActivityService;
  billing: BillingService;
  spend: SpendService;
  savings: SavingsService;
  integrations: IntegrationService;
  operations: OperationsService;
  digests: DigestService;
  maintenance: MaintenanceService;
  ai: AiService;
}

export interface ServiceHooks {
  /** An analysis was queued (after the commit): wake this instance's analysis worker. */
  onAnalysisQueued?: () => void;
  /** A comment was queued for its fan-out: wake this instance's fan-out worker. */
  onCommentQueued?: () => void;
  /** An analysis's narrative was queued: wake this instance's narrative worker. */
  onNarrativeQueued?: () => void;
}

export function createServices(database: Database, config: Config, hooks: ServiceHooks = {}): Services {
  // Sessions an instance looked up in the last seconds: shared by the services that change them.
  const sessionCache = new SessionCache(config.sessionCacheSeconds, database);
  const auth = new AuthService(database, config, sessionCache);
  const organizations = new OrganizationService(database, sessionCache);
  const notifier = new Notifier(config);
  const shares = new ShareService(database, notifier);
  return {
    auth,
    organizations,
    team: new TeamService(database, config, auth),
    me: new MeService(database),
    audits: new AuditService(database, hooks.onAnalysisQueued),
    analyses: new AnalysisService(database, config, hooks.onNarrativeQueued),
    comments: new CommentService(database, notifier, hooks.onCommentQueued),
    shares,
    reports: new ReportService(database, shares),
    renewals: new RenewalService(database, config),
    activity: new ActivityService(database),
    billing: new BillingService(database, config, organizations),
    spend: new SpendService(database),
    savings: new SavingsService(database),
    integrations: new IntegrationService(database, config),
    operations: new OperationsService(database),
    digests: new DigestService(database, config),
    maintenance: new MaintenanceService(database),
    ai: new AiService(database, config),
  };
}
