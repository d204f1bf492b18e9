import type { BackstageOptions } from '../export';
import type { CommandGroup } from '../program';
import { outOption, pathsArgument } from '../options';

const exporters = () => require('../export') as typeof import('../export');

const BACKSTAGE_HELP = `
Entities: a Domain per business domain; per product a System, a Component (providesApis its API,
consumesApis and dependsOn the products it reads) and an API of type asyncapi carrying the spec;
a Group per group: owner and a User per user: owner. Register the file in Backstage as a Location.

Exit codes: 0 written, 1 spec errors (nothing written), 2 usage error or --out not writable.`;

export const register: CommandGroup = (program, cli) => {
  const group = program.command('export').description('write the mesh for other tools (Backstage)');
  group
    .command('backstage')
    .description('write Backstage catalog entities for the mesh (one multi-document YAML)')
    .addArgument(pathsArgument())
    .addOption(outOption('write catalog-info.yaml into this folder instead of printing it'))
    .addHelpText('after', BACKSTAGE_HELP)
    .action(cli.action((paths: string[], options: BackstageOptions) => exporters().runExportBackstage(paths, options, cli.io)));
};
