/**
 * `meshform <verb>`: one thin command per capability over library functions (validate, plan,
 * kafka, crossplane). Heavy verbs are imported lazily so `validate` never loads kafkajs or Pulumi.
 */
import { EXIT, processIo, UsageError, type Io } from './io';
import { runPlan } from './plan';
import { runValidate } from './validate';

const USAGE = `meshform: data-product specs (AsyncAPI) to Kafka, BigQuery, GCP IAM and Crossplane

Usage:
  meshform validate [paths..] [--json]
  meshform plan [paths..] --stack <name> [--json]
  meshform kafka plan|apply [paths..] --stack <name> [--bootstrap host:port] [--allow-delete] [--allow-delete-private] [--json]
  meshform kafka export --domain <urn> --bootstrap host:port [--stack <name>] [--out file [--force]]
  meshform crossplane render [paths..] --stack <name> [--out dir]
  meshform catalog [paths..] [--stack <name>] --out <dir> [--serve [--port n]] [--storage file] [--consumption file]

Paths are spec files or folders (default: specs). Stacks are stacks/Pulumi.<name>.yaml.
Exit codes: 0 ok (warnings allowed), 1 spec errors or failed/refused changes, 2 usage or configuration error.`;

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  validate: runValidate,
  plan: runPlan,
  // require, not import(): under tsx's CommonJS hook a dynamic import() resolves as native ESM.
  kafka: (argv, io) => (require('./kafka') as typeof import('./kafka')).run(argv, io),
  crossplane: (argv, io) => (require('./crossplane') as typeof import('./crossplane')).run(argv, io),
  catalog: (argv, io) => (require('./catalog') as typeof import('./catalog')).runCatalog(argv, io),
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb) {
    // A call without a command is a usage mistake: the help goes where errors go, stdout stays clean.
    io.err(USAGE);
    return EXIT.USAGE;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(USAGE);
    return EXIT.OK;
  }
  if (verb === '--version' || verb === '-v') {
    io.out(require('../../package.json').version);
    return EXIT.OK;
  }
  const command = COMMANDS[verb];
  if (!command) {
    io.err(`meshform: unknown command '${verb}' (try 'meshform --help')`);
    return EXIT.USAGE;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`meshform ${verb}: ${e.message}`);
      return EXIT.USAGE;
    }
    throw e;
  }
}
