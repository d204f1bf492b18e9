import { Option } from 'commander';
import type { CommandGroup } from '../program';
import { jsonOption, pathsArgument, registryOption, stackOption } from '../options';
import type { SchemaCommandOptions } from '../schemas';

/** The schema verbs load the registry client; only when one of them runs. */
const schemas = () => require('../schemas') as typeof import('../schemas');

const REGISTRY_HELP = `
The registry URL comes from --registry, else MESHFORM_SCHEMA_REGISTRY_URL, else the stack's
meshform:schemaRegistryUrl (Apicurio: http://host:port/apis/ccompat/v7). Basic auth from
MESHFORM_SCHEMA_REGISTRY_USERNAME / MESHFORM_SCHEMA_REGISTRY_PASSWORD or the stack; never printed.
Each subject's compatibility level is set before its schema is registered; an incompatible schema is
REFUSED with the registry's reason and nothing else of that product changes.`;

const EXIT_HELP = {
  plan: 'Exit codes: 0 ok, 1 a change would be REFUSED, 2 usage, configuration or connection error.',
  apply: 'Exit codes: 0 done, 1 a change FAILED or was REFUSED, 2 usage, configuration or connection error.',
};

export const register: CommandGroup = (program, cli) => {
  const group = program.command('schemas').description('register the specs\' message schemas in a Confluent-compatible schema registry');
  for (const mode of ['plan', 'apply'] as const) {
    group
      .command(mode)
      .description(mode === 'plan' ? "show what 'schemas apply' would register, configure or refuse" : 'set each subject\'s compatibility and register its schema')
      .addArgument(pathsArgument())
      .addOption(stackOption())
      .addOption(registryOption())
      .addOption(new Option('--allow-delete', "delete subjects of the specs' topics that the specs no longer declare (or the stack's allowDelete)"))
      .addOption(jsonOption('{summary, resources}'))
      .addHelpText('after', REGISTRY_HELP + '\n\n' + EXIT_HELP[mode])
      .action(cli.action((paths: string[], options: SchemaCommandOptions) => schemas().runSchemas(mode, paths, options, cli.io)));
  }
};
