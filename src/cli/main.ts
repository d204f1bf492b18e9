/**
 * `meshform <verb>`: one thin command per capability over library functions. The verbs are
 * registered by the modules in `commands/`; each loads its implementation only when it runs, so
 * `--help` loads commander alone and `validate` never loads kafkajs, Pulumi, elkjs or Preact.
 */
import { COMMAND_GROUPS } from './commands';
import { processIo, type Io } from './io';
import { buildProgram } from './program';

const ABOUT = 'data-product specs (AsyncAPI) to Kafka, BigQuery, GCP IAM and Crossplane';

const AFTER_HELP = `
Paths are spec files or folders (default: specs). Stacks are stacks/Pulumi.<name>.yaml.
'meshform <command> --help' describes a command, its options and its exit codes.

Exit codes: 0 ok (warnings allowed), 1 spec errors or failed/refused changes,
2 usage or configuration error (bad flags, unknown stack, unreachable cluster).`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return meshform(io).run(argv);
}

/** The whole command tree, wired to `io`. */
export function meshform(io: Io = processIo) {
  return buildProgram(io, COMMAND_GROUPS, (program) => {
    program
      .description(ABOUT)
      .version(require('meshform/package.json').version, '-v, --version', 'print the version')
      .helpOption('-h, --help', 'show this help')
      .helpCommand('help [command]', 'show help for a command')
      .showSuggestionAfterError(true)
      .addHelpText('after', AFTER_HELP);
  });
}
