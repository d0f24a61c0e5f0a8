/** The organization as its members see it. */
import type { OrganizationView } from '../../../services/organization.service.js';
import { iso } from '../../present.js';
import type { OrganizationJson } from './contract.js';

export function presentOrganization(view: OrganizationView): OrganizationJson {
  const { organization } = view;
  return {
    id: organization.id,
    name: organization.name,
    plan: organization.plan ?? 'free',
    settings: view.settings,
    limits: view.limits,
    usage: view.usage,
    createdAt: iso(organization.createdAt),
    updatedAt: iso(organization.updatedAt),
  };
}
