import { useId, useState, type FormEvent } from 'react';

import { useAiStatus } from '../../api/ai';
import { ApiError } from '../../api/client';
import { useOrganization, useSaveOrganization } from '../../api/organization';
import type { AiStatus, Organization } from '../../api/types';
import { Field } from '../../components/Field';
import { ErrorNotice, Loading } from '../../components/Status';
import { formText } from '../../format';
import { ExchangeRates } from './ExchangeRates';
import { UsageMeters } from './UsageMeters';

/** The IANA time zones this browser knows, offered as suggestions (the server checks the one saved). */
const TIME_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

/** The organization's name and settings (everyone reads them, admins change them), and its exchange rates. */
export function OrganizationSettings({ isAdmin }: { isAdmin: boolean }) {
  const organization = useOrganization();
  const ai = useAiStatus();
  const [saved, setSaved] = useState(false);
  const save = useSaveOrganization({ onSaved: () => setSaved(true) });
  const zonesId = useId();
  if (organization.isPending) return <Loading what="Loading the organization" />;
  if (organization.isError) return <ErrorNotice error={organization.error} />;
  const org = organization.data.organization;
  // The AI's settings: admins, when the server has a model (else there is nothing to turn on).
  const showAi = isAdmin && ai.data?.available === true;
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
        timeZone: formText(data, 'timeZone').trim(),
        reminderLeadDays: formText(data, 'reminderLeadDays')
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number),
        ...(showAi
          ? {
              aiEnabled: data.get('aiEnabled') === 'on',
              aiIncludePeopleNames: data.get('aiIncludePeopleNames') === 'on',
            }
          : {}),
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
            <Field label="Time zone (renewal dates)" error={errors['settings.timeZone']}>
              <input name="timeZone" defaultValue={org.settings.timeZone} required maxLength={64} list={zonesId} />
            </Field>
            <Field
              label="Renewal reminders: days before each last day to cancel"
              error={errors['settings.reminderLeadDays'] ?? errors['settings.reminderLeadDays.0']}
            >
              <input
                name="reminderLeadDays"
                defaultValue={org.settings.reminderLeadDays.join(', ')}
                placeholder="90, 30, 7 (empty: no reminders)"
                inputMode="numeric"
              />
            </Field>
          </div>
          <datalist id={zonesId}>
            {TIME_ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          {showAi && ai.data && <AiSettings settings={org.settings} budget={ai.data.budget} />}
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

/** AI on or off for the organization, whether people's names are sent to the model, and today's tokens. */
function AiSettings({ settings, budget }: { settings: Organization['settings']; budget: AiStatus['budget'] }) {
  return (
    <fieldset>
      <legend>AI</legend>
      <label>
        <input type="checkbox" name="aiEnabled" defaultChecked={settings.aiEnabled} aria-describedby="ai-help" />
        Use AI for audit summaries and questions
      </label>
      <small id="ai-help" className="muted">
        The model is sent an audit&apos;s tools, figures and recommendations. It writes the words; every figure shown is
        StackAudit&apos;s own.
      </small>
      <label>
        <input
          type="checkbox"
          name="aiIncludePeopleNames"
          defaultChecked={settings.aiIncludePeopleNames}
          aria-describedby="ai-names-help"
        />
        Send people&apos;s names (tool owners) to the model
      </label>
      <small id="ai-names-help" className="muted">
        Off: who owns each tool is left out of what the model is sent.
      </small>
      {budget && (
        <p data-testid="ai-tokens">
          Tokens used today: {budget.usedToday.toLocaleString()} of {budget.dailyTokens.toLocaleString()}
        </p>
      )}
    </fieldset>
  );
}
