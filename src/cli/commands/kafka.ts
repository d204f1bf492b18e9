import { Option } from 'commander';
import type { ExportOptions, ReconcileOptions } from '../kafka';
import type { CommandGroup } from '../program';
import { bootstrapOption, jsonOption, outOption, pathsArgument, stackOption } from '../options';

/** The kafka verbs load kafkajs; only when one of them runs. */
const kafka = () => require('../kafka') as typeof import('../kafka');

const CONNECTION_HELP = `
The connection comes from the stack (meshform:kafkaBootstrap, kafkaTls, kafkaSaslMechanism, ...),
overridden by MESHFORM_KAFKA_BOOTSTRAP, MESHFORM_KAFKA_SASL_MECHANISM, MESHFORM_KAFKA_USERNAME and
MESHFORM_KAFKA_PASSWORD, then by --bootstrap. The password is never printed.`;

const EXIT_HELP = {
  plan: 'Exit codes: 0 ok, 1 a change would be REFUSED, 2 usage, configuration or connection error.',
  apply: 'Exit codes: 0 done, 1 a change FAILED or was REFUSED, 2 usage, configuration or connection error.',
};

export const register: CommandGroup = (program, cli) => {
  const group = program
    .command('kafka')
    .description('compare a Kafka cluster with the plan, change it, or export what it holds');

  for (const mode of ['plan', 'apply'] as const) {
    group
      .command(mode)
      .description(
        mode === 'plan'
          ? "show what 'kafka apply' would change on the cluster (topics, configs, ACLs)"
          : 'create and update topics and ACLs so the cluster matches the plan',
      )
      .addArgument(pathsArgument())
      .addOption(stackOption())
      .addOption(bootstrapOption())
      .addOption(new Option('--allow-delete', "delete topics and ACLs the specs no longer declare (or the stack's allowDelete)"))
      .addOption(new Option('--allow-delete-private', 'also delete _private topics (needs --allow-delete)'))
      .addOption(jsonOption('{summary, resources}'))
      .addHelpText('after', CONNECTION_HELP + '\n\n' + EXIT_HELP[mode])
      .action(cli.action((paths: string[], options: ReconcileOptions) => kafka().runReconcile(mode, paths, options, cli.io)));
  }

  group
    .command('export')
    .description("write a domain's existing topics and ACLs as a spec skeleton, to adopt a cluster")
    .addOption(new Option('--domain <urn>', 'the product to export, e.g. urn:acme:retail:orders (required)').makeOptionMandatory())
    .addOption(bootstrapOption())
    .addOption(stackOption(false, 'stack whose Kafka connection to use'))
    .addOption(outOption('write the spec to this file instead of stdout (its folder is created)'))
    .addOption(new Option('--force', 'overwrite an existing --out file'))
    .addHelpText('after', CONNECTION_HELP)
    .action(cli.action((options: ExportOptions) => kafka().runExport(options, cli.io)));
};
