import type { CommandGroup } from '../program';
import { jsonOption, pathsArgument, stackOption } from '../options';
import { runPlan, type PlanOptions } from '../plan';

export const register: CommandGroup = (program, cli) => {
  program
    .command('plan')
    .description("print the resources a stack needs (what 'pulumi up' builds), grouped by product")
    .addArgument(pathsArgument())
    .addOption(stackOption())
    .addOption(jsonOption('the plan {stack, products, resources}'))
    .addHelpText('after', '\nExample:\n  meshform plan specs --stack dev')
    .action(cli.action((paths: string[], options: PlanOptions) => runPlan(paths, options, cli.io)));
};
