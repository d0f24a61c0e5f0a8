/** A progress bar on stderr (cli-progress) for long CLI work. */
import cliProgress from 'cli-progress';

import type { Progress } from './backup.js';

export function progressBar(): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: '{label} [{bar}] {percentage}% | {value}/{total} rows | {table}',
      stream: process.stderr,
      hideCursor: true,
      // Also when stderr is a file or a pipe (CI, logs): a line every few seconds and at the end.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, label) => bar.start(total, 0, { label, table: '' }),
    update: (done, table) => bar.update(done, { table }),
    stop: () => bar.stop(),
  };
}
