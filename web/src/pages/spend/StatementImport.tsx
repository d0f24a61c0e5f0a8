import { useState, type ChangeEvent } from 'react';

import { ApiError } from '../../api/client';
import { useImportStatement } from '../../api/spend';
import type { StatementImport as ImportAnswer } from '../../api/types';
import { RowErrors } from '../../components/RowErrors';
import { Loading } from '../../components/Status';
import { money, notCsvText } from '../../format';
import { ColumnMappingForm } from './ColumnMappingForm';

/** A bank or card statement in (CSV): what was recognised, or the columns to name for a layout new to us. */
export function StatementImport() {
  const [result, setResult] = useState<ImportAnswer | null>(null);
  // The file's text is kept: an unrecognised layout is imported again with a column mapping.
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [notText, setNotText] = useState<string | null>(null);
  const upload = useImportStatement({ onImported: setResult });
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.currentTarget.files?.[0];
    if (!picked) return;
    setResult(null);
    const read = { name: picked.name, csv: await picked.text() };
    // A workbook or an image is said to be one here, not sent and offered a mapping of its bytes.
    const problem = notCsvText(read.csv);
    setNotText(problem);
    if (problem) {
      setFile(null);
      upload.reset();
      return;
    }
    setFile(read);
    upload.mutate({ csv: read.csv });
  };
  const unknownLayout =
    upload.error instanceof ApiError && upload.error.details.some((d) => d.field === 'header' || d.field === 'mapping');
  return (
    <article>
      <label>
        Bank or card statement (CSV)
        <input type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} disabled={upload.isPending} />
      </label>
      <small className="muted">
        Chase, American Express, Revolut, Wise, Schwab, or any export with date, description and amount columns.
        Software charges are kept; importing the same file again adds nothing.
      </small>
      {notText && <p className="field-error">{notText}</p>}
      {upload.isPending && <Loading what="Reading the statement" />}
      {upload.error && <RowErrors error={upload.error} />}
      {file && unknownLayout && (
        <ColumnMappingForm
          csv={file.csv}
          busy={upload.isPending}
          onSubmit={(mapping) => upload.mutate({ csv: file.csv, mapping })}
        />
      )}
      {result && (
        <div role="status">
          <p>
            <strong>Imported {result.imported}</strong> software charge{result.imported === 1 ? '' : 's'} ·{' '}
            {result.duplicates} already imported · {result.skipped} other line{result.skipped === 1 ? '' : 's'} skipped
          </p>
          {result.recognized.length > 0 && (
            <ul>
              {result.recognized.map((r, i) => (
                <li key={i}>
                  {r.date} · {r.toolName} · {money(r.amount, r.currency)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </article>
  );
}
