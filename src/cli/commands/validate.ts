import type { CommandGroup } from '../program';
import { jsonOption, pathsArgument, type JsonOptions } from '../options';

/** The spec reader loads the AsyncAPI parser and ajv; only when a spec is read, not for `--help` or other verbs. */
const validate = () => require('../validate') as typeof import('../validate');

export const register: CommandGroup = (program, cli) => {
  program
    .command('validate')
    .description('check every spec and the mesh as a whole; report every problem at file:line:col')
    .addArgument(pathsArgument())
    .addOption(jsonOption('{ok, files, products, diagnostics}'))
    .addHelpText('after', '\nExit codes: 0 valid (warnings allowed), 1 spec errors, 2 a path that is missing or holds no spec.')
    .action(cli.action((paths: string[], options: JsonOptions) => validate().runValidate(paths, options, cli.io)));
};
