/** An Io that records what a command prints. */
import type { Io } from '../../src/cli/io';

export function recordingIo(): Io & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: false,
    stdout: () => out.join('\n'),
    stderr: () => err.join('\n'),
  };
}
