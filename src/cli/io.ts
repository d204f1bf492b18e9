/** What a command writes to. Tests pass a recorder; the bin passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress lines are only drawn there). */
  interactive: boolean;
  /**
   * Draws a transient progress line on the terminal, replacing the previous one; `''` clears it.
   * Optional: without it progress is not shown. Only called when `interactive`.
   */
  status?(text: string): void;
  /**
   * Asks a question on the terminal and returns the answer line (undefined when input ends).
   * Present only when there is a person to ask: stdin and stderr are terminals.
   */
  ask?(question: string): Promise<string | undefined>;
}

/** Erases the current terminal line and returns the cursor to its start. */
const CLEAR_LINE = '\r\x1b[2K';

let statusShown = false;

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => {
    // A message must not be glued to a half-drawn progress line.
    if (statusShown) process.stderr.write(CLEAR_LINE);
    statusShown = false;
    process.stderr.write(text.endsWith('\n') ? text : text + '\n');
  },
  interactive: Boolean(process.stderr.isTTY),
  status: (text) => {
    process.stderr.write(CLEAR_LINE + text);
    statusShown = text !== '';
  },
  ask: process.stdin.isTTY && process.stderr.isTTY ? askOnTerminal : undefined,
};

async function askOnTerminal(question: string): Promise<string | undefined> {
  const { createInterface } = require('node:readline') as typeof import('node:readline');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string | undefined>((resolve) => {
      terminal.once('close', () => resolve(undefined));
      terminal.question(question, resolve);
    });
  } finally {
    terminal.close();
  }
}

/** Documented exit codes (docs/cli.md, "Exit codes"). */
export const EXIT = {
  OK: 0,
  /** Spec errors; for Kafka apply: a change FAILED or was REFUSED. */
  FAILED: 1,
  /** Bad command line, unknown stack, bad stack configuration, unreachable cluster. */
  USAGE: 2,
  /**
   * `kafka apply`: the connection was lost (or timed out) while changes were being made: some
   * outcomes are unknown. Nothing was taken away before its replacement was in; re-running converges.
   */
  INTERRUPTED: 3,
} as const;

/** A mistake in how the tool was called; printed as one line, exit 2. */
export class UsageError extends Error {}
