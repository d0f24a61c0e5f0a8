import { ApiError } from '../api/client';

/** A 400 with per-row problems, listed by row. */
export function RowErrors({ error }: { error: Error }) {
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div role="alert">
      <p className="field-error">{error.message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i} className="field-error">
              {d.row !== undefined ? `Row ${d.row}: ` : ''}
              {d.field.replace(/^body\.?/, '')} {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
