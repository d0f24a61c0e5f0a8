/**
 * An exclusive lock on the embedded database's directory.
 *
 * PGlite takes no lock of its own: two processes on one data directory both appear to
 * work and silently lose rows. So the server writes a lock file naming its pid and the
 * pid's start time, and a second live process refuses to start.
 *
 * Why not a library: proper-lockfile (the well-kept choice) decides that a lock is stale
 * by its age, so after a `kill -9` the next start would wait out that age; here a lock
 * whose owner is gone is taken over at once, which needs the owner's pid. The owner's
 * start time (Linux /proc) guards against a recycled pid; a pid equal to our own (a
 * container restarted as pid 1) is stale by definition.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another StackAudit process (pid ${ownerPid}). ` +
        'The embedded database belongs to one process: stop that process first, give this one another ' +
        'DATA_DIR, or set DATABASE_URL to share a PostgreSQL server between instances.',
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockOwner {
  pid: number;
  startTime: string | null;
  hostname: string;
  acquiredAt: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** The kernel's start time of a process (jiffies since boot), or null where /proc is absent. */
function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 of the whole line
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return false;
  if (owner.hostname !== os.hostname()) {
    // A lock written on another host (a shared volume): we cannot see that process, so
    // we must assume it lives.
    return true;
  }
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const startTime = processStartTime(owner.pid);
  return owner.startTime === null || startTime === null || startTime === owner.startTime;
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.hostname === 'string' ? (value as LockOwner) : null;
  } catch {
    return null;
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'stackaudit.lock');
  const owner: LockOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    hostname: os.hostname(),
    acquiredAt: new Date().toISOString(),
  };
  const content = JSON.stringify(owner);

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, content, { flag: 'wx' });
      return {
        path: lockPath,
        release() {
          try {
            if (fs.readFileSync(lockPath, 'utf8') === content) fs.unlinkSync(lockPath);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let existing: string;
    try {
      existing = fs.readFileSync(lockPath, 'utf8');
    } catch {
      continue; // Removed between our attempt and this read: try again.
    }
    const current = parseOwner(existing);
    if (current !== null && isAlive(current)) throw new DataDirLockedError(dataDir, current.pid);
    // Stale (its process died) or unreadable (it died while writing): take it over, but
    // only if it is still the file we judged, so that two processes taking over the same
    // stale lock do not remove each other's fresh one.
    try {
      if (fs.readFileSync(lockPath, 'utf8') === existing) fs.unlinkSync(lockPath);
    } catch {
      // Someone else removed it first; the next attempt decides.
    }
  }
  const current = parseOwner(fs.readFileSync(lockPath, 'utf8'));
  throw new DataDirLockedError(dataDir, current?.pid ?? -1);
}
