import { Option } from 'commander';
import type { BreakingOptions } from '../breaking';
import type { CommandGroup } from '../program';
import { jsonOption, pathsArgument, stackOption } from '../options';

const breaking = () => require('../breaking') as typeof import('../breaking');

export const register: CommandGroup = (program, cli) => {
  program
    .command('breaking')
    .description('compare the mesh with an older one (a git revision or a folder) and report what breaks a consumer')
    .addArgument(pathsArgument())
    .addOption(new Option('--against <git-ref|folder>', 'the older mesh: a folder of specs, or a git revision of this repository (read with git archive, nothing fetched) (required)').makeOptionMandatory())
    .addOption(new Option('--mesh <file|url>', "a mesh index (mesh.json from 'meshform catalog' or 'meshform export mesh-index'): consumers and grants of products outside these specs"))
    .addOption(stackOption(false, "stack whose schemaCompatibility is the default level (default BACKWARD)"))
    .addOption(jsonOption('{against, breaking, compatible, findings}'))
    .addHelpText(
      'after',
      `
Breaking: a consumed topic removed or renamed; visibility narrowed or a grant removed while a
product receives from the topic; partitions decreased; cleanup policy changed; a payload or key
field removed or retyped; a schema change incompatible under the topic's compatibility level
(checked locally, without a registry).
Everything else that changed is listed as compatible.

Example (CI): meshform breaking specs --against origin/main
In a product repository (one product's spec; the rest of the mesh from its index):
  meshform breaking specs --against origin/main --mesh https://catalog.example.com/mesh.json

Exit codes: 0 nothing breaks, 1 something breaks (or the specs have errors), 2 usage error.`,
    )
    .action(cli.action((paths: string[], options: BreakingOptions) => breaking().runBreaking(paths, options, cli.io)));
};
