import { Option } from 'commander';
import type { InitOptions } from '../init';
import type { CommandGroup } from '../program';

const init = () => require('../init') as typeof import('../init');

export const register: CommandGroup = (program, cli) => {
  program
    .command('init')
    .description("write a new product's spec: minimal, valid and commented")
    .argument('<urn>', 'the product, e.g. urn:acme:retail:orders')
    .addOption(new Option('-d, --dir <folder>', 'where to write <domain>-<product>.yaml (created if missing)').default('specs'))
    .addOption(new Option('--owner <member>', 'owner: user:|group:|serviceAccount:<email> or domain:<domain> (default: a placeholder to replace)'))
    .addOption(new Option('--force', 'overwrite an existing file'))
    .addHelpText(
      'after',
      `
The spec is checked together with the specs already in the folder. When a mesh file (meshform.yaml)
applies to the folder, the owner is added to its owners: unless a prefix there covers the product.

Example:
  meshform init urn:acme:retail:orders --owner group:orders@acme.com

Exit codes: 0 written and valid, 1 the id is taken or the folder's mesh has errors,
2 usage error (bad urn or owner, the file exists without --force).`,
    )
    .action(cli.action((urn: string, options: InitOptions) => init().runInit(urn, options, cli.io)));
};
