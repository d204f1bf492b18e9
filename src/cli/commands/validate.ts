import type { CommandGroup } from '../program';
import { jsonOption, pathsArgument, strictOption } from '../options';
import type { ValidateOptions } from '../validate';

/** The spec reader loads the AsyncAPI parser and ajv; only when a spec is read, not for `--help` or other verbs. */
const validate = () => require('../validate') as typeof import('../validate');

export const register: CommandGroup = (program, cli) => {
  program
    .command('validate')
    .description('check every spec and the mesh as a whole; report every problem at file:line:col')
    .addArgument(pathsArgument())
    .addOption(strictOption())
    .addOption(jsonOption('{ok, files, products, diagnostics}'))
    .addHelpText('after', '\nExit codes: 0 valid (warnings allowed, unless --strict), 1 spec errors (or warnings with --strict),\n2 a path that is missing or holds no spec.')
    .action(cli.action((paths: string[], options: ValidateOptions) => validate().runValidate(paths, options, cli.io)));
};
