/** Runs a CLI command in-process against an Io that records what it prints. */
import type { Io } from '../../src/cli/io';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Progress lines drawn with `io.status` (only when `interactive`). */
  status: string[];
  /** Questions asked with `io.ask`. */
  questions: string[];
}

export interface RecordedOptions {
  /** As if stderr were a terminal (default false). */
  interactive?: boolean;
  /** As if a person answered at a terminal: called per question (io.ask exists only when given). */
  answer?: (question: string) => Promise<string | undefined> | string | undefined;
}

export async function runRecorded(command: (io: Io) => Promise<number>, options: RecordedOptions = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const status: string[] = [];
  const questions: string[] = [];
  const answer = options.answer;
  const io: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: options.interactive ?? false,
    status: (t) => status.push(t),
    ask: answer
      ? async (question) => {
          questions.push(question);
          return answer(question);
        }
      : undefined,
  };
  const code = await command(io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), status, questions };
}
