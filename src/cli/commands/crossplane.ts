import { Option } from 'commander';
import type { RenderOptions } from '../crossplane';
import type { CommandGroup } from '../program';
import { jsonOption, outOption, pathsArgument, stackOption } from '../options';

const COMPOSED_HELP = `
--composed runs Crossplane's own 'crank render' with the real composition functions; crank must be
on PATH (npm run -s peers -- install crossplane, then eval "$(npm run -s peers -- env)"). The
functions run in crank's Docker runtime where a Docker engine answers (each function's package
image, or the image MESHFORM_CROSSPLANE_FUNCTION_IMAGES names for it: <function>=<image>,...,
never pulled), else as local programs on PATH (--function-runtime development).

Exit codes: 0 ok, 1 spec errors or a render that failed, 2 usage or configuration error
(GCP-mode stack, crank or a function not on PATH).`;

const crossplane = () => require('../crossplane') as typeof import('../crossplane');

export const register: CommandGroup = (program, cli) => {
  const group = program.command('crossplane').description('DataProduct objects for Crossplane, for GitOps (Argo CD, Flux)');
  group
    .command('render')
    .description("render the stack's DataProducts as YAML (the stack must set meshform:crossplane: gitops or true)")
    .addArgument(pathsArgument())
    .addOption(stackOption())
    .addOption(outOption('write one <name>.yaml per product into this folder, removing ones meshform wrote for products that are gone'))
    .addOption(new Option('--composed', 'print the resources Crossplane composes from the DataProducts instead (crank render)').conflicts('out'))
    .addOption(jsonOption('the composed resources (with --composed)'))
    .addOption(new Option('--package <dir>', "with --composed: the Crossplane package to render with (default: meshform's crossplane/)"))
    .addOption(
      new Option('--function-runtime <runtime>', 'with --composed: where the functions run (default: docker where a Docker engine answers, else development)').choices(['docker', 'development']),
    )
    .addHelpText('after', COMPOSED_HELP)
    .action(cli.action((paths: string[], options: RenderOptions) => crossplane().runRender(paths, options, cli.io)));
};
