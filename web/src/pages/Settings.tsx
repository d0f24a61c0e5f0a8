import { NavLink } from 'react-router';

import type { Me } from '../api/session';
import { ErrorNotice } from '../components/Status';
import { Billing } from './settings/Billing';
import { Integrations } from './settings/Integrations';
import { OrganizationSettings } from './settings/OrganizationSettings';

/** Settings: the organization (everyone reads, admins change), billing, and integrations (admins). */
export default function Settings({ me, tab }: { me: Me; tab: 'organization' | 'billing' | 'integrations' }) {
  const isAdmin = me.user.role === 'admin';
  return (
    <section>
      <h1>Settings</h1>
      <nav aria-label="Settings">
        <ul className="tabs">
          <li>
            <NavLink to="/settings" end>
              Organization
            </NavLink>
          </li>
          <li>
            <NavLink to="/settings/billing">Billing</NavLink>
          </li>
          {isAdmin && (
            <li>
              <NavLink to="/settings/integrations">Integrations</NavLink>
            </li>
          )}
        </ul>
      </nav>
      {tab === 'organization' && <OrganizationSettings isAdmin={isAdmin} />}
      {tab === 'billing' && <Billing isAdmin={isAdmin} />}
      {tab === 'integrations' &&
        (isAdmin ? <Integrations /> : <ErrorNotice error={new Error('Only admins manage integrations.')} />)}
    </section>
  );
}
