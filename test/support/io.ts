/** Runs a CLI command in-process against an Io that records what it prints. */
import type { Io } from '../../src/cli/io';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Progress lines drawn with `io.status` (only when `interactive`). */
  status: string[];
}

/** `interactive`: as if stderr were a terminal (default false). */
export async function runRecorded(command: (io: Io) => Promise<number>, options: { interactive?: boolean } = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const status: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: options.interactive ?? false,
    status: (t) => status.push(t),
  };
  const code = await command(io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), status };
}
