import { useSearchParams } from 'react-router';

import { ApiError } from '../../api/client';
import {
  useConnectIntegration,
  useDisconnectIntegration,
  useIntegrations,
  useSyncIntegration,
} from '../../api/integrations';
import { Field } from '../../components/Field';
import { ErrorNotice, Loading } from '../../components/Status';
import { formText } from '../../format';

/** Connected by a key or token typed here rather than by the provider's consent page. */
const BY_KEY = new Set(['stripe', 'okta']);
const CALLBACK_ERRORS: Record<string, string> = {
  access_denied: 'you declined the connection at the provider',
  expired_or_unknown_state: 'the connection request expired; start again',
  session_mismatch: 'the connection was started in another session',
  invalid_grant: 'the provider refused the authorisation; start again',
};

/**
 * Accounts whose software spend comes into Spend (QuickBooks, Xero, Stripe), and identity
 * providers whose usage replaces typed active seats (Google Workspace, Microsoft 365, Okta):
 * connect, sync, disconnect (admins).
 */
export function Integrations() {
  const [params] = useSearchParams();
  const integrations = useIntegrations();
  const connect = useConnectIntegration();
  const sync = useSyncIntegration();
  const disconnect = useDisconnectIntegration();
  const returned = params.get('provider');
  const returnedError = params.get('error');
  if (integrations.isPending) return <Loading what="Loading the integrations" />;
  if (integrations.isError) return <ErrorNotice error={integrations.error} />;
  const connectErrors = connect.error instanceof ApiError ? connect.error.fieldErrors : {};
  const returnedName = integrations.data.items.find((i) => i.provider === returned)?.name ?? returned;
  return (
    <>
      {returned && params.get('connected') === '1' && (
        <p role="status">{returnedName} is connected; its first sync is under way.</p>
      )}
      {returned && returnedError && (
        <p role="alert" className="field-error">
          {returnedName} was not connected: {CALLBACK_ERRORS[returnedError] ?? returnedError}.
        </p>
      )}
      <p className="muted">
        Accounting and payment accounts bring their software spend into Spend; identity providers tell who uses which
        app, which the analysis uses instead of typed active seats. Each syncs once a day and whenever you ask.
      </p>
      {(sync.error ?? disconnect.error) && <ErrorNotice error={sync.error ?? disconnect.error} />}
      {integrations.data.items.map((i) => {
        const name = i.name;
        return (
          <article key={i.provider} aria-label={name}>
            <header>
              <strong>{name}</strong>{' '}
              <span className="status" data-testid={`status-${i.provider}`}>
                {i.status.replace(/_/g, ' ')}
              </span>
            </header>
            {!i.available && (
              <p className="muted">
                Not configured on this server: set {i.requires.join(', ')} (see docs/OPERATIONS.md).
              </p>
            )}
            {i.lastSyncAt && (
              <p>
                Last sync {new Date(i.lastSyncAt).toLocaleString()}
                {i.lastSync
                  ? i.kind === 'usage'
                    ? `: ${i.lastSync.imported} apps seen, ${i.lastSync.skipped} not in the catalog`
                    : `: ${i.lastSync.imported} imported, ${i.lastSync.duplicates} already there, ${i.lastSync.skipped} skipped`
                  : ''}
              </p>
            )}
            {i.error && <p className="field-error">{i.error}</p>}
            {i.available && !i.connected && !BY_KEY.has(i.provider) && (
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
            {i.available && !i.connected && i.provider === 'okta' && (
              <form
                aria-label="Connect Okta"
                onSubmit={(e) => {
                  e.preventDefault();
                  const data = new FormData(e.currentTarget);
                  connect.mutate({
                    provider: 'okta',
                    orgUrl: formText(data, 'orgUrl').trim(),
                    apiToken: formText(data, 'apiToken').trim(),
                  });
                }}
              >
                <Field label="Okta org URL" error={connectErrors.orgUrl}>
                  <input name="orgUrl" required placeholder="https://acme.okta.com" />
                </Field>
                <Field label="API token (of a read-only administrator)" error={connectErrors.apiToken}>
                  <input name="apiToken" required autoComplete="off" />
                </Field>
                <button type="submit" aria-busy={connect.isPending} disabled={connect.isPending}>
                  Connect Okta
                </button>
              </form>
            )}
            {i.connected && (
              <div className="actions">
                {i.status === 'needs_reconnect' && !BY_KEY.has(i.provider) && (
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
