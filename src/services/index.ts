/** The services of one server instance, built once over its database and config. */
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AuthService } from './auth.service.js';
import { MeService } from './me.service.js';
import { OrganizationService } from './organization.service.js';
import { TeamService } from './team.service.js';

export interface Services {
  auth: AuthService;
  organizations: OrganizationService;
  team: TeamService;
  me: MeService;
}

export function createServices(database: Database, config: Config): Services {
  const auth = new AuthService(database, config);
  return {
    auth,
    organizations: new OrganizationService(database),
    team: new TeamService(database, config, auth),
    me: new MeService(database),
  };
}
