import type { Io } from '../../src/cli/io';
import { main } from '../../src/cli/main';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Progress lines drawn with `io.status` (only when `interactive`). */
  status: string[];
}

/** Runs the CLI in-process with recorded streams. */
export async function runCli(...argv: string[]): Promise<Run> {
  return runCliWith({ interactive: false }, ...argv);
}

/** As runCli, as if stderr were a terminal when `interactive`. */
export async function runCliWith(options: { interactive: boolean }, ...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const status: string[] = [];
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: options.interactive,
    status: (t) => status.push(t),
  };
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), status };
}
