/** What a command writes to. Tests pass a recorder; the bin passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress lines are only drawn there). */
  interactive: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
  interactive: Boolean(process.stderr.isTTY),
};

/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  OK: 0,
  /** Spec errors; for Kafka apply: a change FAILED or was REFUSED. */
  FAILED: 1,
  /** Bad command line, unknown stack, bad stack configuration, unreachable cluster. */
  USAGE: 2,
} as const;

/** A mistake in how the tool was called; printed as one line, exit 2. */
export class UsageError extends Error {}
