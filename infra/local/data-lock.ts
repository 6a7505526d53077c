/**
 * One `npm start` per `--data` folder. Two DynamoDB Locals on one database file do not share it:
 * the second started fine and the first failed mid-seed with the API's "temporarily unavailable",
 * or both ran on a file neither owned. The runner takes the folder with a pid file before it
 * starts DynamoDB Local and gives it back when it stops; a file left by a process that is gone
 * (a `kill -9`) is taken over.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'assay-start.pid';

export interface DataLock {
  /** Removes the pid file if it is still this process's. */
  release(): void;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes `dir` (creating it) for this process, or throws one line naming the `npm start` that
 * holds it.
 */
export function lockDataDir(dir: string): DataLock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const mine = String(process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new Error(
          `${dir} is in use by another npm start (pid ${holder}): stop that one first, or give this one another folder with --data.`,
        );
      }
      // Left by a process that is gone: take it over.
      unlinkSync(file);
    }
  }
  return {
    release() {
      try {
        if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
      } catch {
        // Already gone.
      }
    },
  };
}
