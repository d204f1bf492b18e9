/**
 * Progress of spec checking on the terminal: `checking specs 250/1000`, redrawn at most every
 * PERIOD_MS so a thousand files cost a handful of writes. Nothing when stderr is not a terminal
 * (CI logs, pipes, --json consumers never see it).
 */
import type { Io } from './io';

const PERIOD_MS = 100;

/** Below this many files checking is instant and a progress line would only flicker. */
const MIN_FILES = 50;

export type ProgressCallback = (checked: number, total: number) => void;

/** A callback for `loadMesh`'s `onProgress`, or undefined when progress is not shown. */
export function specProgress(io: Io, now: () => number = Date.now): ProgressCallback | undefined {
  const status = io.status;
  if (!io.interactive || !status) return undefined;
  let last = 0;
  return (checked, total) => {
    if (total < MIN_FILES) return;
    if (checked >= total) {
      status('');
      return;
    }
    const t = now();
    if (t - last < PERIOD_MS) return;
    last = t;
    status(`checking specs ${checked}/${total}`);
  };
}
