import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { NavLink, useSearchParams } from 'react-router';

import type { Me } from '../api/session';
import { ErrorNotice, Loading } from '../components/Status';
import { api, ApiError } from '../api/client';
import type { BillingView, ExchangeRates, Integration, Items, Limits, Organization, Usage } from '../api/types';
import { formText, money } from '../format';
import { Field } from '../components/Field';

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

const limitText = (limit: number | null) => (limit === null ? 'unlimited' : String(limit));

function UsageMeters({ limits, usage }: { limits: Limits; usage: Usage }) {
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

function OrganizationSettings({ isAdmin }: { isAdmin: boolean }) {
  const queryClient = useQueryClient();
  const organization = useQuery({
    queryKey: ['organization'],
    queryFn: () => api<{ organization: Organization }>('GET', '/api/organization'),
  });
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: unknown) => api<{ organization: Organization }>('PATCH', '/api/organization', body),
    onSuccess: async (answer) => {
      queryClient.setQueryData(['organization'], answer);
      setSaved(true);
      // The header shows the name; pages read the base currency.
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      await queryClient.invalidateQueries({ queryKey: ['rates'] });
    },
  });
  if (organization.isPending) return <Loading what="Loading the organization" />;
  if (organization.isError) return <ErrorNotice error={organization.error} />;
  const org = organization.data.organization;
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const data = new FormData(event.currentTarget);
    const max = formText(data, 'maxAuditsPerMonth').trim();
    save.mutate({
      name: formText(data, 'name').trim(),
      settings: {
        allowedDomains: formText(data, 'allowedDomains')
          .split(/[\s,]+/)
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
        maxAuditsPerMonth: max === '' ? null : Number(max),
        auditRetentionDays: Number(formText(data, 'auditRetentionDays')),
        baseCurrency: formText(data, 'baseCurrency').trim().toUpperCase(),
      },
    });
  };
  return (
    <>
      <article>
        <header>
          <strong>{org.plan}</strong> plan
        </header>
        <UsageMeters limits={org.limits} usage={org.usage} />
      </article>
      <form onSubmit={submit} aria-label="Organization settings" onChange={() => setSaved(false)}>
        <fieldset disabled={!isAdmin || save.isPending}>
          <Field label="Organization name" error={errors.name}>
            <input name="name" defaultValue={org.name} required />
          </Field>
          <Field label="Allowed email domains" error={errors['settings.allowedDomains']}>
            <textarea
              name="allowedDomains"
              rows={2}
              defaultValue={org.settings.allowedDomains.join('\n')}
              placeholder="example.com"
              aria-describedby="domains-help"
            />
          </Field>
          <small id="domains-help" className="muted">
            People who sign up with an email at these domains join this organization as members once they confirm their
            address. One per line. You can add only the domain of your own confirmed email address.
          </small>
          <div className="grid">
            <Field label="Audits per month (blank: the plan's limit)" error={errors['settings.maxAuditsPerMonth']}>
              <input
                name="maxAuditsPerMonth"
                type="number"
                min={0}
                step={1}
                defaultValue={org.settings.maxAuditsPerMonth ?? ''}
              />
            </Field>
            <Field label="Keep audits for (days)" error={errors['settings.auditRetentionDays']}>
              <input
                name="auditRetentionDays"
                type="number"
                min={1}
                max={3650}
                step={1}
                required
                defaultValue={org.settings.auditRetentionDays}
              />
            </Field>
            <Field label="Base currency" error={errors['settings.baseCurrency']}>
              <input name="baseCurrency" defaultValue={org.settings.baseCurrency} required maxLength={3} />
            </Field>
          </div>
          {isAdmin && (
            <button type="submit" aria-busy={save.isPending}>
              Save the settings
            </button>
          )}
        </fieldset>
        {!isAdmin && <p className="muted">Only admins change these settings.</p>}
        {save.error && Object.keys(errors).length === 0 && <ErrorNotice error={save.error} />}
        {save.error && Object.keys(errors).length > 0 && (
          <p role="alert" className="field-error">
            {save.error.message}
          </p>
        )}
        {saved && <p role="status">Settings saved.</p>}
      </form>
      <ExchangeRates isAdmin={isAdmin} />
    </>
  );
}

/** Rates against the base currency, edited as a list and saved at once (the list replaces the old one). */
function ExchangeRates({ isAdmin }: { isAdmin: boolean }) {
  const queryClient = useQueryClient();
  const rates = useQuery({
    queryKey: ['rates'],
    queryFn: () => api<ExchangeRates>('GET', '/api/organization/exchange-rates'),
  });
  const [draft, setDraft] = useState<{ currency: string; rate: string }[] | null>(null);
  const save = useMutation({
    mutationFn: (body: unknown) => api<ExchangeRates>('PUT', '/api/organization/exchange-rates', body),
    onSuccess: async (answer) => {
      queryClient.setQueryData(['rates'], answer);
      setDraft(null);
      await queryClient.invalidateQueries({ queryKey: ['spend-summary'] });
    },
  });
  if (rates.isPending) return <Loading what="Loading the exchange rates" />;
  if (rates.isError) return <ErrorNotice error={rates.error} />;
  const base = rates.data.baseCurrency;
  const rows = draft ?? rates.data.rates.map((r) => ({ currency: r.currency, rate: String(r.rate) }));
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const edit = (i: number, patch: Partial<{ currency: string; rate: string }>) =>
    setDraft(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      rates: rows
        .filter((r) => r.currency.trim() !== '')
        .map((r) => ({ currency: r.currency.trim().toUpperCase(), rate: Number(r.rate) })),
    });
  };
  return (
    <form onSubmit={submit} aria-label="Exchange rates">
      <h2>Exchange rates</h2>
      <p className="muted">
        How many {base} one unit of another currency is worth; spend and analyses in other currencies are converted with
        these.
      </p>
      {rows.length === 0 && <p className="muted">No rates yet: every cost is taken to be in {base}.</p>}
      {rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">1 unit = ? {base}</th>
              {isAdmin && (
                <th scope="col">
                  <span className="muted">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Currency, rate ${i + 1}`}
                    value={r.currency}
                    maxLength={3}
                    disabled={!isAdmin}
                    onChange={(e) => edit(i, { currency: e.target.value })}
                    aria-invalid={errors[`rates.${i}.currency`] ? true : undefined}
                  />
                  {errors[`rates.${i}.currency`] && (
                    <small className="field-error">{errors[`rates.${i}.currency`]}</small>
                  )}
                </td>
                <td>
                  <input
                    aria-label={`Rate, rate ${i + 1}`}
                    type="number"
                    step="any"
                    min={0}
                    value={r.rate}
                    disabled={!isAdmin}
                    onChange={(e) => edit(i, { rate: e.target.value })}
                    aria-invalid={errors[`rates.${i}.rate`] ? true : undefined}
                  />
                  {errors[`rates.${i}.rate`] && <small className="field-error">{errors[`rates.${i}.rate`]}</small>}
                </td>
                {isAdmin && (
                  <td>
                    <button
                      type="button"
                      className="secondary outline"
                      aria-label={`Remove rate ${i + 1}`}
                      onClick={() => setDraft(rows.filter((_, j) => j !== i))}
                    >
                      ✕
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {save.error && (
        <p role="alert" className="field-error">
          {save.error.message}
        </p>
      )}
      {isAdmin && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setDraft([...rows, { currency: '', rate: '' }])}>
            Add a rate
          </button>
          <button type="submit" disabled={draft === null || save.isPending} aria-busy={save.isPending}>
            Save the rates
          </button>
        </div>
      )}
    </form>
  );
}

function Billing({ isAdmin }: { isAdmin: boolean }) {
  const [params] = useSearchParams();
  const checkoutOutcome = params.get('checkout');
  const billing = useQuery({
    queryKey: ['billing'],
    queryFn: () => api<BillingView>('GET', '/api/billing'),
    // Back from Checkout, the webhook may take a moment: watch for the plan to change.
    refetchInterval: checkoutOutcome === 'success' ? 3000 : false,
  });
  // Checkout and the portal are Stripe's pages: the browser goes there.
  const go = useMutation({
    mutationFn: (target: { plan: string } | 'portal') =>
      target === 'portal'
        ? api<{ url: string }>('POST', '/api/billing/portal')
        : api<{ url: string }>('POST', '/api/billing/checkout', target),
    onSuccess: ({ url }) => window.location.assign(url),
  });
  if (billing.isPending) return <Loading what="Loading billing" />;
  if (billing.isError) return <ErrorNotice error={billing.error} />;
  const b = billing.data;
  return (
    <>
      {checkoutOutcome === 'success' && (
        <p role="status">Thank you: the plan changes here as soon as Stripe confirms the payment.</p>
      )}
      {checkoutOutcome === 'cancelled' && <p role="status">Checkout was cancelled; nothing changed.</p>}
      <article aria-label="Your plan">
        <header>
          <strong>{b.plan}</strong> plan{b.status !== 'none' ? ` · subscription ${b.status.replace(/_/g, ' ')}` : ''}
        </header>
        {b.currentPeriodEnd && (
          <p>
            {b.cancelAtPeriodEnd ? 'Ends' : 'Renews'} on {b.currentPeriodEnd.slice(0, 10)}
            {b.cancelAtPeriodEnd ? '; the organization then moves to the free plan (nothing is deleted).' : '.'}
          </p>
        )}
        <UsageMeters limits={b.limits} usage={b.usage} />
        {isAdmin && b.billingEnabled && b.status !== 'none' && (
          <button type="button" className="secondary" onClick={() => go.mutate('portal')} aria-busy={go.isPending}>
            Manage billing in Stripe
          </button>
        )}
      </article>
      {!b.billingEnabled && (
        <p className="muted">
          Billing is not set up on this server (no Stripe keys): plans are changed by whoever runs it.
        </p>
      )}
      {go.error && <ErrorNotice error={go.error} />}
      <h2>Plans</h2>
      <div className="cards">
        {b.plans.map((plan) => (
          <article key={plan.name} aria-label={`The ${plan.name} plan`}>
            <header>
              <strong>{plan.name}</strong>
              {plan.name === b.plan && <span className="status"> current</span>}
            </header>
            <div className="value">
              {plan.monthlyPriceUsd === null
                ? 'By contract'
                : plan.monthlyPriceUsd === 0
                  ? 'Free'
                  : `${money(plan.monthlyPriceUsd)}/mo`}
            </div>
            <p className="muted">
              {limitText(plan.limits.auditsPerMonth)} audits a month · {limitText(plan.limits.members)} members
            </p>
            {isAdmin && b.billingEnabled && plan.checkout && plan.name !== b.plan && (
              <button type="button" onClick={() => go.mutate({ plan: plan.name })} disabled={go.isPending}>
                Switch to {plan.name}
              </button>
            )}
          </article>
        ))}
      </div>
    </>
  );
}

const PROVIDER_NAMES: Record<string, string> = { quickbooks: 'QuickBooks', xero: 'Xero', stripe: 'Stripe' };
const CALLBACK_ERRORS: Record<string, string> = {
  access_denied: 'you declined the connection at the provider',
  expired_or_unknown_state: 'the connection request expired; start again',
  session_mismatch: 'the connection was started in another session',
  invalid_grant: 'the provider refused the authorisation; start again',
};

function Integrations() {
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const integrations = useQuery({
    queryKey: ['integrations'],
    queryFn: () => api<Items<Integration>>('GET', '/api/integrations'),
    refetchInterval: (query) => (query.state.data?.items.some((i) => i.status === 'syncing') ? 2000 : false),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['integrations'] });
  const connect = useMutation({
    mutationFn: ({ provider, apiKey }: { provider: string; apiKey?: string }) =>
      api<{ url?: string }>('POST', `/api/integrations/${provider}/connect`, apiKey ? { apiKey } : {}),
    onSuccess: async (answer) => {
      if (answer.url)
        window.location.assign(answer.url); // the provider's consent page
      else await refresh();
    },
  });
  const sync = useMutation({
    mutationFn: (provider: string) => api('POST', `/api/integrations/${provider}/sync`),
    onSettled: refresh,
  });
  const disconnect = useMutation({
    mutationFn: (provider: string) => api('DELETE', `/api/integrations/${provider}`),
    onSettled: refresh,
  });
  const returned = params.get('provider');
  const returnedError = params.get('error');
  if (integrations.isPending) return <Loading what="Loading the integrations" />;
  if (integrations.isError) return <ErrorNotice error={integrations.error} />;
  const connectErrors = connect.error instanceof ApiError ? connect.error.fieldErrors : {};
  return (
    <>
      {returned && params.get('connected') === '1' && (
        <p role="status">{PROVIDER_NAMES[returned] ?? returned} is connected; its spend is being imported.</p>
      )}
      {returned && returnedError && (
        <p role="alert" className="field-error">
          {PROVIDER_NAMES[returned] ?? returned} was not connected: {CALLBACK_ERRORS[returnedError] ?? returnedError}.
        </p>
      )}
      <p className="muted">
        Connected accounts bring their software spend into Spend, once a day and whenever you sync.
      </p>
      {(sync.error ?? disconnect.error) && <ErrorNotice error={sync.error ?? disconnect.error} />}
      {integrations.data.items.map((i) => {
        const name = PROVIDER_NAMES[i.provider] ?? i.provider;
        return (
          <article key={i.provider} aria-label={name}>
            <header>
              <strong>{name}</strong>{' '}
              <span className="status" data-testid={`status-${i.provider}`}>
                {i.status.replace(/_/g, ' ')}
              </span>
            </header>
            {!i.available && <p className="muted">Not set up on this server (no {name} credentials configured).</p>}
            {i.lastSyncAt && (
              <p>
                Last sync {new Date(i.lastSyncAt).toLocaleString()}
                {i.lastSync
                  ? `: ${i.lastSync.imported} imported, ${i.lastSync.duplicates} already there, ${i.lastSync.skipped} skipped`
                  : ''}
              </p>
            )}
            {i.error && <p className="field-error">{i.error}</p>}
            {i.available && !i.connected && i.provider !== 'stripe' && (
              <button
                type="button"
                onClick={() => connect.mutate({ provider: i.provider })}
                disabled={connect.isPending}
              >
                Connect {name}
              </button>
            )}
            {i.available && !i.connected && i.provider === 'stripe' && (
              <form
                aria-label="Connect Stripe"
                onSubmit={(e) => {
                  e.preventDefault();
                  connect.mutate({
                    provider: 'stripe',
                    apiKey: formText(new FormData(e.currentTarget), 'apiKey').trim(),
                  });
                }}
              >
                <Field label="Restricted API key (read-only)" error={connectErrors.apiKey}>
                  <input name="apiKey" required autoComplete="off" placeholder="rk_live_…" />
                </Field>
                <button type="submit" aria-busy={connect.isPending} disabled={connect.isPending}>
                  Connect Stripe
                </button>
              </form>
            )}
            {i.connected && (
              <div className="actions">
                {i.status === 'needs_reconnect' && i.provider !== 'stripe' && (
                  <button type="button" onClick={() => connect.mutate({ provider: i.provider })}>
                    Reconnect {name}
                  </button>
                )}
                <button
                  type="button"
                  className="secondary"
                  disabled={i.status === 'syncing' || sync.isPending}
                  onClick={() => sync.mutate(i.provider)}
                >
                  Sync now
                </button>
                <button
                  type="button"
                  className="secondary outline"
                  disabled={disconnect.isPending}
                  onClick={() => disconnect.mutate(i.provider)}
                >
                  Disconnect
                </button>
              </div>
            )}
          </article>
        );
      })}
      {connect.error && Object.keys(connectErrors).length === 0 && <ErrorNotice error={connect.error} />}
    </>
  );
}
