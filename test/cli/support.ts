import { main } from '../../src/cli/main';
import { runRecorded, type RecordedOptions, type Run } from '../support/io';

export type { Run };

/** Runs the CLI in-process with recorded streams. */
export async function runCli(...argv: string[]): Promise<Run> {
  return runCliWith({ interactive: false }, ...argv);
}

/** As runCli, as if stderr were a terminal when `interactive`, and a person answered questions with `answer`. */
export async function runCliWith(options: RecordedOptions, ...argv: string[]): Promise<Run> {
  return runRecorded((io) => main(argv, io), options);
}
