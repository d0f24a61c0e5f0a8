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

const PROVIDER_NAMES: Record<string, string> = { quickbooks: 'QuickBooks', xero: 'Xero', stripe: 'Stripe' };
const CALLBACK_ERRORS: Record<string, string> = {
  access_denied: 'you declined the connection at the provider',
  expired_or_unknown_state: 'the connection request expired; start again',
  session_mismatch: 'the connection was started in another session',
  invalid_grant: 'the provider refused the authorisation; start again',
};

/** Accounts (QuickBooks, Xero, Stripe) whose software spend comes into Spend: connect, sync, disconnect (admins). */
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
