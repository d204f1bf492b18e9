/**
 * The command tree: commander parses, `Io` carries every byte in and out, actions return exit codes.
 * Each verb group registers its commands from one module in `commands/` (listed in `commands/index.ts`).
 */
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError, type Io } from './io';

/** What a verb group's `register` gets besides the program. */
export interface Cli {
  io: Io;
  /**
   * Wraps a command's work: its return value becomes the run's exit code. Pass it to `.action()`:
   * `.action(cli.action((paths, options) => runPlan(paths, options, cli.io)))`.
   */
  action<A extends unknown[]>(work: (...args: A) => Promise<number> | number): (...args: A) => Promise<void>;
}

/** A verb group: adds its commands (with descriptions, options and help) to the program. */
export type CommandGroup = (program: Command, cli: Cli) => void;

/** Help is wrapped to this width whatever the terminal, so it reads the same in a log. */
const HELP_WIDTH = 100;

/** The program for one run, wired to `io`; `run` parses `argv` and returns the exit code. */
export function buildProgram(
  io: Io,
  groups: readonly CommandGroup[],
  configure: (program: Command) => void,
): { program: Command; run(argv: string[]): Promise<number> } {
  let exitCode: number = EXIT.OK;
  let current: Command | undefined;
  const cli: Cli = {
    io,
    action:
      (work) =>
      async (...args) => {
        exitCode = await work(...args);
      },
  };
  const program = new Command('meshform');
  configure(program);
  for (const register of groups) register(program, cli);
  program.hook('preAction', (_root, command) => {
    current = command;
  });

  // commander writes help and errors in pieces; each stream is handed to Io as one text.
  const buffered = { out: '', err: '' };
  forEachCommand(program, (command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => (buffered.out += text),
      writeErr: (text) => (buffered.err += text),
      outputError: (text, write) => write(usageLine(command, commanderMessage(text)) + '\n'),
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  });

  async function run(argv: string[]): Promise<number> {
    try {
      await program.parseAsync(argv, { from: 'user' });
    } catch (e) {
      if (e instanceof CommanderError) exitCode = commanderExit(e);
      else if (e instanceof UsageError && current) {
        buffered.err += usageLine(current, e.message) + '\n';
        exitCode = EXIT.USAGE;
      } else throw e;
      // Under --detailed-exitcode (Terraform's convention) 2 means "changes to make": a usage error is 1.
      if (exitCode === EXIT.USAGE && argv.includes('--detailed-exitcode')) exitCode = EXIT.FAILED;
    } finally {
      if (buffered.out) io.out(buffered.out.replace(/\n$/, ''));
      if (buffered.err) io.err(buffered.err.replace(/\n$/, ''));
    }
    return exitCode;
  }
  return { program, run };
}

/** `error: unknown command 'plna'\n(Did you mean plan?)` -> `unknown command 'plna'; did you mean plan?` */
function commanderMessage(text: string): string {
  return text
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\(Did you mean (.+)\?\)$/, '; did you mean $1?');
}

/** `meshform kafka plan: <message> (see 'meshform kafka plan --help')`. */
function usageLine(command: Command, message: string): string {
  const path = commandPath(command);
  return `${path}: ${message} (see '${path} --help')`;
}

export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const sub of command.commands) forEachCommand(sub, visit);
}

/** --help and --version are answers (0); everything else commander stops on is a usage error (2). */
function commanderExit(e: CommanderError): number {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.OK;
  if (e.code === 'commander.help' && e.exitCode === 0) return EXIT.OK;
  return EXIT.USAGE;
}
