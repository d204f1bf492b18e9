import type { CommandGroup } from '../program';
import { jsonOption, pathsArgument, type JsonOptions } from '../options';
import { runValidate } from '../validate';

export const register: CommandGroup = (program, cli) => {
  program
    .command('validate')
    .description('check every spec and the mesh as a whole; report every problem at file:line:col')
    .addArgument(pathsArgument())
    .addOption(jsonOption('{ok, files, products, diagnostics}'))
    .addHelpText('after', '\nExit codes: 0 valid (warnings allowed), 1 spec errors, 2 a path that is missing or holds no spec.')
    .action(cli.action((paths: string[], options: JsonOptions) => runValidate(paths, options, cli.io)));
};
