import { Option } from 'commander';
import type { ImportClusterOptions, ImportOptions } from '../import';
import type { CommandGroup } from '../program';
import { bootstrapOption, jsonOption, outOption, registryOption, stackOption } from '../options';

const importer = () => require('../import') as typeof import('../import');

const FORMATS = {
  julieops: ['JulieOps topology files (YAML or JSON)', 'JulieOps topologies (projects, producers, consumers, streams, connectors, topics)'],
  'kafka-gitops': ['kafka-gitops desired state files (split files under settings.files are read too)', 'kafka-gitops state files (topics, services, custom ACLs)'],
  terraform: ['Terraform state (format 4), `terraform show -json` output or `pulumi stack export` output', "the Kafka provider's Terraform or Pulumi state (kafka_topic, kafka_acl)"],
} as const;

const HELP = `
Writes one spec per product (<id>.yaml, topics adopted under their names, principals, groups and
transactional ids in x-meshform.adopt) and meshform.yaml owners (a placeholder to replace where the
owner map gives none). A folder that already holds a mesh is added to: a principal a spec there
adopted is that product's. The result is validated before anything is written.

Owner map (--owners): domain (first id segment, default estate), products (principal or derived id
-> product id), topics (topic -> product id), visibility (topic -> public|protected|private),
owners (id or id prefix -> IAM members). See docs/adopting.md.

Schemas: with a registry (--registry, MESHFORM_SCHEMA_REGISTRY_URL, or the --stack's
schemaRegistryUrl) the latest version of each imported topic's <topic>-value and <topic>-key
subject is written under schemas/ and referred to by its spec, with the subject's own
compatibility level; the registry is only read. Subjects with references are listed as not mapped.

Exit codes: 0 written, everything mapped; 1 written with things not mapped (listed as
MF-IMPORT-UNMAPPED warnings), or input errors / a mesh that would not validate (nothing written);
2 usage error, an input file that cannot be read, --out not writable.`;

export const register: CommandGroup = (program, cli) => {
  const group = program.command('import').description("write a mesh from another tool's description of an existing Kafka estate");
  for (const [tool, [files, what]] of Object.entries(FORMATS) as Array<[keyof typeof FORMATS, readonly [string, string]]>) {
    group
      .command(tool)
      .description(`import ${what}`)
      .argument('<files...>', files)
      .addOption(outOption('folder of the mesh to write or add to (required)').makeOptionMandatory())
      .addOption(new Option('--owners <map.yaml>', 'owner map: product ids, topic owners, visibility, IAM owners'))
      .addOption(stackOption(false, 'stack whose sizing the written partitions and replicas undo, so it plans the estate\'s'))
      .addOption(registryOption())
      .addOption(jsonOption('the products written and what was not mapped'))
      .addHelpText('after', HELP)
      .action(cli.action((paths: string[], options: ImportOptions) => importer().runImport(tool, paths, options, cli.io)));
  }
  group
    .command('cluster')
    .description('import a live cluster: every topic and ACL, products by the owner map or by who writes')
    .addOption(outOption('folder of the mesh to write or add to (required)').makeOptionMandatory())
    .addOption(stackOption(false, 'stack whose cluster is read and whose sizing the written partitions and replicas undo'))
    .addOption(bootstrapOption())
    .addOption(new Option('--owners <map.yaml>', 'owner map: product ids, topic owners, visibility, IAM owners'))
    .addOption(registryOption())
    .addOption(jsonOption('the products written and what was not mapped'))
    .addHelpText(
      'after',
      `${HELP}

The connection: the stack's kafkaBootstrap, MESHFORM_KAFKA_* (credentials) and --bootstrap, as
for kafka plan, as a principal that can describe every topic, config and ACL (a super user).
Internal topics (__*) are left out. Exit 2 also when the cluster cannot be reached or read.`,
    )
    .action(cli.action((options: ImportClusterOptions) => importer().runImportCluster(options, cli.io)));
};
