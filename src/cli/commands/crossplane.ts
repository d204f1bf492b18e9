import type { RenderOptions } from '../crossplane';
import type { CommandGroup } from '../program';
import { outOption, pathsArgument, stackOption } from '../options';

const crossplane = () => require('../crossplane') as typeof import('../crossplane');

export const register: CommandGroup = (program, cli) => {
  const group = program.command('crossplane').description('DataProduct objects for Crossplane, for GitOps (Argo CD, Flux)');
  group
    .command('render')
    .description("render the stack's DataProducts as YAML (the stack must set meshform:crossplane: true)")
    .addArgument(pathsArgument())
    .addOption(stackOption())
    .addOption(outOption('write one <name>.yaml per product into this folder, removing ones meshform wrote for products that are gone'))
    .action(cli.action((paths: string[], options: RenderOptions) => crossplane().runRender(paths, options, cli.io)));
};
