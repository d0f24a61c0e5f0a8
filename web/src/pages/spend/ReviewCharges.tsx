/**
 * Charges the importer did not recognise (shadow IT shows up here): each one is software — as
 * which tool — or not, and the decision is remembered for its merchant.
 */
import { useId, useState, type FormEvent } from 'react';

import { useCatalog } from '../../api/audits';
import { useReviewCharge, useUnreviewedCharges } from '../../api/spend';
import type { ToolCost } from '../../api/types';
import { LoadMore } from '../../components/Paging';
import { ErrorNotice, Loading } from '../../components/Status';
import { formText, money } from '../../format';

function Charge({ line, canReview }: { line: ToolCost; canReview: boolean }) {
  const review = useReviewCharge();
  const [asSoftware, setAsSoftware] = useState(false);
  const [search, setSearch] = useState('');
  const catalog = useCatalog(search);
  const listId = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    review.mutate({ id: line.id, decision: 'software', toolName: formText(new FormData(event.currentTarget), 'tool') });
  };
  return (
    <li>
      <strong>{line.toolName}</strong> · {money(line.amount, line.currency)} ·{' '}
      <time dateTime={line.billingPeriodStart ?? undefined}>{line.billingPeriodStart}</time>
      {canReview && !asSoftware && (
        <div role="group" aria-label={`Decide: ${line.toolName}`}>
          <button type="button" className="outline" onClick={() => setAsSoftware(true)}>
            Software…
          </button>{' '}
          <button
            type="button"
            className="outline secondary"
            aria-busy={review.isPending}
            onClick={() => review.mutate({ id: line.id, decision: 'not_software' })}
          >
            Not software
          </button>
        </div>
      )}
      {canReview && asSoftware && (
        <form onSubmit={submit} aria-label={`Which tool is ${line.toolName}?`}>
          <label>
            Tool
            <input
              name="tool"
              required
              list={listId}
              autoComplete="off"
              onChange={(e) => setSearch(e.target.value)}
              placeholder="e.g. Notion"
            />
          </label>
          <datalist id={listId}>
            {(catalog.data?.items ?? []).map((entry) => (
              <option key={entry.name} value={entry.name} />
            ))}
          </datalist>
          <button type="submit" aria-busy={review.isPending}>
            Count it as this tool
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setAsSoftware(false)}>
            Cancel
          </button>
        </form>
      )}
      {review.error && <ErrorNotice error={review.error} />}
    </li>
  );
}

/** The charges waiting for a decision; nothing when there are none. */
export function ReviewCharges({ canReview }: { canReview: boolean }) {
  const charges = useUnreviewedCharges();
  if (charges.isPending) return <Loading what="Loading the charges to review" />;
  if (charges.isError) return <ErrorNotice error={charges.error} />;
  const items = charges.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="review-heading">
      <h2 id="review-heading">Charges to review</h2>
      <p className="muted">
        These charges were not recognised as software. Say what each one is: the decision covers every charge from the
        same merchant, now and in later imports. Nothing here counts as spend until it is marked as software.
      </p>
      <ul aria-label="Charges to review">
        {items.map((line) => (
          <Charge key={line.id} line={line} canReview={canReview} />
        ))}
      </ul>
      <LoadMore pages={charges} label="More charges" />
    </section>
  );
}
