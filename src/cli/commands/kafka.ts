import { InvalidArgumentError, Option } from 'commander';
import type { ExportOptions, ReconcileOptions } from '../kafka';
import type { LiveReportOptions } from '../kafka-reports';
import type { CommandGroup } from '../program';
import { bootstrapOption, jsonOption, outOption, pathsArgument, productOption, registryOption, stackOption, strictOption } from '../options';

/** The kafka verbs load kafkajs; only when one of them runs. */
const kafka = () => require('../kafka') as typeof import('../kafka');
const saved = () => require('../kafka-apply-saved') as typeof import('../kafka-apply-saved');
const reports = () => require('../kafka-reports') as typeof import('../kafka-reports');

const REPORT_HELP = {
  storage: `
Per product and topic: partitions, bytes (the leaders' replicas: the data once), bytes on disk
(every replica) and offsets kept (end - start, an upper bound on records), from DescribeLogDirs on
every broker and ListOffsets. Topics under a product's prefixes that no spec declares, and
declared topics missing on the cluster, are marked. Needs DESCRIBE on the cluster and its topics.`,
  consumption: `
Per consumer product (groups named <product id>.* or <product id>-*) and group: its state and the
lag per topic (end offset - committed offset), from ListGroups, OffsetFetch and ListOffsets. A
topic the product's spec does not receive from is marked. Needs DESCRIBE on the groups and topics.`,
};

const CONNECTION_HELP = `
The connection comes from the stack (meshform:kafkaBootstrap, kafkaTls, kafkaSaslMechanism, ...),
overridden by MESHFORM_KAFKA_BOOTSTRAP, MESHFORM_KAFKA_SASL_MECHANISM, MESHFORM_KAFKA_USERNAME and
MESHFORM_KAFKA_PASSWORD, then by --bootstrap. The password is never printed.`;

const SCHEMAS_HELP = `
With a schema registry (--registry, MESHFORM_SCHEMA_REGISTRY_URL or meshform:schemaRegistryUrl),
each product's schemas are checked first and registered after its topics; a product with a
refused schema changes nothing. A topic that another spec still receives from is never deleted
without --allow-breaking.`;

const MODE_HELP = {
  plan: `
With --out <file> the plan is saved: 'meshform kafka apply --plan <file>' then makes exactly its
changes, or none (exit 2) if the selected products' topics, configs or ACLs on the cluster have
changed since, or it is another cluster. The file holds no password, username or key.

Exit codes: 0 ok, 1 a change would be REFUSED, spec errors (or warnings with --strict),
2 usage, configuration or connection error.
With --detailed-exitcode (as Terraform): 0 no changes, 2 changes pending (refused ones count and
are named), 1 anything else.`,
  apply: `
On a terminal, apply shows the changes and asks before making them; it then makes exactly
those, or none if the cluster changed meanwhile. Elsewhere (CI) it needs --yes.
With --plan <file> (from 'kafka plan --out'), no specs are read: it makes exactly the saved
changes, after checking that the cluster is the one planned for and that the selected products'
topics, configs and ACLs have not changed since (schemas: that the registry answers as it did).

One run changes a cluster at a time: apply takes the cluster's lease (an ACL binding on TOPIC
__meshform_lease that names this run) before reading it, renews it while it runs and removes it at
the end. While another run (kafka apply, pulumi up) holds it, apply waits, saying who holds it, for
--lease-wait seconds (default MESHFORM_KAFKA_LEASE_WAIT, else 120; 0: refuse at once). A run that
crashed holds it at most 60 s.

Exit codes: 0 done, 1 a change FAILED or was REFUSED, spec errors (or warnings with --strict),
or the answer was not 'yes'; 2 usage, configuration or connection error (also: no terminal to ask
and no --yes; the cluster moved while the question was open, or since the saved plan was made;
the file is not a plan or was changed; another
run kept the cluster's lease longer than --lease-wait); 3 interrupted: the connection was lost
while changes were being made (some outcomes unknown, no access taken away): run it again.`,
};

/** apply only: plan reads and takes no lease. */
function leaseWaitOption(): Option {
  return new Option('--lease-wait <seconds>', "how long to wait while another run holds the cluster's lease (default 120; 0: refuse)").argParser(seconds);
}

function seconds(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`--lease-wait takes whole seconds (0: do not wait), not '${text}'`);
  return Number(text);
}

export const register: CommandGroup = (program, cli) => {
  const group = program
    .command('kafka')
    .description('compare a Kafka cluster with the plan, change it, or export what it holds');

  for (const mode of ['plan', 'apply'] as const) {
    const command = group
      .command(mode)
      .description(
        mode === 'plan'
          ? "show what 'kafka apply' would change on the cluster (topics, configs, ACLs)"
          : 'create and update topics and ACLs so the cluster matches the plan',
      )
      .addArgument(pathsArgument())
      .addOption(mode === 'plan' ? stackOption() : stackOption(false, "stack whose settings apply (required, except with --plan)"))
      .addOption(productOption())
      .addOption(bootstrapOption())
      .addOption(new Option('--allow-delete', "delete topics and ACLs the specs no longer declare (or the stack's allowDelete)"))
      .addOption(new Option('--allow-delete-private', 'also delete _private topics (needs --allow-delete)'))
      .addOption(new Option('--allow-breaking', "also delete topics that other specs still consume (or the stack's allowBreaking)"))
      .addOption(registryOption())
      .addOption(
        new Option('--all-or-nothing', "per product: when one of its changes is refused (or fails Kafka's validate-only check), make none"),
      )
      .addOption(strictOption());
    if (mode === 'plan') {
      command
        .addOption(new Option('--detailed-exitcode', 'exit 0 when there is nothing to change, 2 when there is (refusals too), 1 on errors'))
        .addOption(outOption("save the plan to this file, for 'kafka apply --plan'"));
    } else {
      command
        .addOption(new Option('--plan <file>', "make exactly the changes saved by 'kafka plan --out' (no specs are read)"))
        .addOption(new Option('-y, --yes', 'apply without asking (CI)'));
    }
    command
      .addOption(jsonOption('{summary, resources}'))
      .addHelpText('after', CONNECTION_HELP + '\n' + SCHEMAS_HELP + '\n' + MODE_HELP[mode])
      .action(
        cli.action((paths: string[], options: ReconcileOptions) =>
          mode === 'apply' && options.plan !== undefined ? saved().runApplySaved(paths, options, cli.io) : kafka().runReconcile(mode, paths, options, cli.io),
        ),
      );
    if (mode === 'apply') command.addOption(leaseWaitOption());
  }

  for (const kind of ['storage', 'consumption'] as const) {
    group
      .command(kind)
      .description(kind === 'storage' ? 'report bytes and offsets per product and topic, read from the cluster' : 'report consumer lag per product, group and topic, read from the cluster')
      .addArgument(pathsArgument())
      .addOption(stackOption(false, 'stack whose Kafka connection to use'))
      .addOption(bootstrapOption())
      .addOption(jsonOption(`the report (the file 'meshform catalog --${kind}' reads)`))
      .addHelpText('after', REPORT_HELP[kind] + '\n' + CONNECTION_HELP + '\n\nExit codes: 0 read, 1 spec errors, 2 usage, configuration or connection error.')
      .action(cli.action((paths: string[], options: LiveReportOptions) => reports().runLiveReport(kind, paths, options, cli.io)));
  }

  group
    .command('export')
    .description("write a domain's existing topics and ACLs as a spec skeleton, to adopt a cluster")
    .addOption(new Option('--domain <urn>', 'the product to export, e.g. urn:acme:retail:orders (required)').makeOptionMandatory())
    .addOption(bootstrapOption())
    .addOption(stackOption(false, "stack whose Kafka connection to use and whose sizing to undo"))
    .addOption(outOption('write the spec to this file instead of stdout (its folder is created)'))
    .addOption(new Option('--force', 'overwrite an existing --out file'))
    .addHelpText(
      'after',
      CONNECTION_HELP +
        `

With --stack, partitions and replicas are written as the spec values that stack turns into the
cluster's (dev's partitionFactor 0.25: 2 partitions are written as 8), so the exported spec plans
no change there; notes on stderr say so.

Exit codes: 0 written, 1 nothing on the cluster belongs to the product, 2 usage, configuration or
connection error (also: --out exists without --force).`,
    )
    .action(cli.action((options: ExportOptions) => kafka().runExport(options, cli.io)));
};
