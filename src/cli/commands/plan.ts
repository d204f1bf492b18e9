import { Option } from 'commander';
import type { CommandGroup } from '../program';
import { collect, jsonOption, pathsArgument, productOption, stackOption, strictOption } from '../options';
import type { PlanOptions } from '../plan';

const plan = () => require('../plan') as typeof import('../plan');

export const register: CommandGroup = (program, cli) => {
  program
    .command('plan')
    .description("print the resources a stack needs (what 'pulumi up' builds), grouped by product")
    .addArgument(pathsArgument())
    .addOption(stackOption())
    .addOption(productOption())
    .addOption(new Option('-k, --kind <kind>', 'list the resources of a kind: kafka:Acl (or Acl), or a family: kafka, gcp (repeatable)').argParser(collect))
    .addOption(new Option('--verbose', 'list every resource instead of the folded per-product view'))
    .addOption(strictOption())
    .addOption(jsonOption('the (selected) plan {stack, products, resources}'))
    .addHelpText(
      'after',
      `
Human output: a summary (products, resources by kind, what the stack changes in spec values),
then per product its topics (sizes, access, producer, consumers), ACLs, GCP or Crossplane.

Exit codes: 0 planned, 1 spec errors (or warnings with --strict), 2 usage error, unknown stack
or a path that is missing or holds no spec.

Examples:
  meshform plan --stack dev
  meshform plan --stack dev --product acme.retail --kind kafka:Acl
  meshform plan --stack prod --json > plan.json`,
    )
    .action(cli.action((paths: string[], options: PlanOptions) => plan().runPlan(paths, options, cli.io)));
};
