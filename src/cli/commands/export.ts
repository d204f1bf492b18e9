import { Option } from 'commander';
import type { AlertsOptions, BackstageOptions, MeshIndexOptions } from '../export';
import type { CommandGroup } from '../program';
import { outOption, pathsArgument, stackOption } from '../options';

const exporters = () => require('../export') as typeof import('../export');

const BACKSTAGE_HELP = `
Entities: a Domain per business domain; per product a System, a Component (providesApis its API,
consumesApis and dependsOn the products it reads) and an API of type asyncapi carrying the spec;
a Group per group: owner and a User per user: owner. Register the file in Backstage as a Location.

Exit codes: 0 written, 1 spec errors (nothing written), 2 usage error or --out not writable.`;

export const register: CommandGroup = (program, cli) => {
  const group = program.command('export').description('write the mesh for other tools (Backstage, Prometheus alerts, a mesh index)');
  group
    .command('backstage')
    .description('write Backstage catalog entities for the mesh (one multi-document YAML)')
    .addArgument(pathsArgument())
    .addOption(outOption('write catalog-info.yaml into this folder instead of printing it'))
    .addHelpText('after', BACKSTAGE_HELP)
    .action(cli.action((paths: string[], options: BackstageOptions) => exporters().runExportBackstage(paths, options, cli.io)));

  group
    .command('mesh-index')
    .description('write the mesh index (mesh.json) that product repositories compare against')
    .addArgument(pathsArgument())
    .addOption(outOption('write the index to this file instead of printing it (only a mesh index is replaced)'))
    .addHelpText('after', MESH_INDEX_HELP)
    .action(cli.action((paths: string[], options: MeshIndexOptions) => exporters().runExportMeshIndex(paths, options, cli.io)));

  group
    .command('alerts')
    .description("write the specs' freshness and lag expectations as Prometheus alerting rules")
    .addArgument(pathsArgument())
    .addOption(stackOption(true, 'stack the rules are for (a label on every rule)'))
    .addOption(new Option('--format <format>', 'rule file format').choices(['prometheus']).default('prometheus'))
    .addOption(new Option('--metrics <exporter>', 'which exporter\'s metric names the rules use').choices(['kafka-exporter', 'jmx']).default('kafka-exporter'))
    .addOption(outOption('write the rule file here instead of printing it (only a file meshform wrote is replaced)'))
    .addHelpText('after', ALERTS_HELP)
    .action(cli.action((paths: string[], options: AlertsOptions) => exporters().runExportAlerts(paths, options, cli.io)));
};

const MESH_INDEX_HELP = `
The index lists every product with its topics (visibility, grants, consumers, schema subjects)
and what it consumes: what a product repository, which holds only its own spec, needs to know
about the rest of the mesh. Publish it (meshform catalog writes it too, as <out>/mesh.json) and
check changes in the product's CI with:
  meshform breaking specs --against origin/main --mesh <file or URL of mesh.json>

Exit codes: 0 written, 1 spec errors (nothing written), 2 usage error or --out not writable.`;

const ALERTS_HELP = `
Rules: MeshformTopicStale per channel with x-meshform.freshness (no offset increase over the
duration), MeshformConsumerLag per consuming product and topic with a maxLag (its receiving
channel's x-meshform.maxLag, else the owner's): the summed lag of each of its groups (named
<product id>.* or <product id>-*) above it for 5 minutes.

Metric names: kafka-exporter (kafka_topic_partition_current_offset, kafka_consumergroup_lag);
jmx: the brokers' JMX exporter (kafka_server_brokertopicmetrics_messagesin_total), freshness only.

Exit codes: 0 written, 1 spec errors (nothing written), 2 usage error or --out not writable.`;
