import { Option } from 'commander';
import type { CommandGroup } from '../program';
import { jsonOption, pathsArgument } from '../options';
import type { StacksPlanOptions } from '../stacks';

const stacks = () => require('../stacks') as typeof import('../stacks');

export const register: CommandGroup = (program, cli) => {
  const group = program.command('stacks').description('split a large mesh into several Pulumi stacks (one per domain or id prefix)');
  group
    .command('plan')
    .description('print the split of the mesh into stacks, check every product is in exactly one, and write the stack files')
    .addArgument(pathsArgument())
    .addOption(new Option('--by <domain|prefix>', 'one stack per business domain (meshform:domains), or per id prefix (meshform:products)').choices(['domain', 'prefix']).makeOptionMandatory())
    .addOption(new Option('--depth <n>', 'with --by prefix: id segments of the prefix (default 2: acme.retail)'))
    .addOption(new Option('-s, --stack <env>', 'environment the stacks belong to: they are named <env>-<group>; new ones start from stacks/Pulumi.<env>.yaml'))
    .addOption(new Option('--write', 'write stacks/Pulumi.<env>-<group>.yaml for each stack (an existing one gets the selection key)'))
    .addOption(new Option('--force', 'with --write: replace the selection of an existing stack file that selects other products'))
    .addOption(jsonOption('the split {stacks: {<name>: {products, config}}, problems}'))
    .addHelpText(
      'after',
      `
Every product must be in exactly one stack: of the split, and of the environment's stack files
that select products (stacks/Pulumi.<env>-*.yaml with meshform:domains or meshform:products).
Each stack is then its own 'pulumi up -s <env>-<group>', independent of the others.

Examples:
  meshform stacks plan --by domain
  meshform stacks plan --by domain --stack dev --write
  meshform stacks plan --by prefix --depth 3 --json

Exit codes: 0 every product is in exactly one stack, 1 a product is in none or in several,
2 usage error (bad option, unknown stack, unreadable specs, a stack file in the way).`,
    )
    .action(cli.action((paths: string[], options: StacksPlanOptions) => stacks().runStacksPlan(paths, options, cli.io)));
};
