import { Option } from 'commander';
import type { DevDownOptions, DevUpOptions } from '../dev';
import type { CommandGroup } from '../program';
import { jsonOption, pathsArgument, stackOption } from '../options';

/** `dev` loads kafkajs and the engines; only when one of its verbs runs. */
const dev = () => require('../dev') as typeof import('../dev');

const UP_HELP = `
Runtimes: containers (default; the Docker CLI runs MESHFORM_KAFKA_IMAGE, else apache/kafka:4.1.1,
and, when the mesh has schemas, MESHFORM_REGISTRY_IMAGE, else apicurio/apicurio-registry:3.0.9;
ports on 127.0.0.1 only), jvm (Apache Kafka from KAFKA_HOME), in-process (meshform's test broker).
The sandbox is named after the current folder; the passwords printed are generated for it.
A second 'dev up' re-applies the mesh to the running sandbox.

Exit codes: 0 running and applied, 1 spec errors or an apply that failed, 2 usage error or no
runtime (no Docker engine, no KAFKA_HOME).`;

export const register: CommandGroup = (program, cli) => {
  const group = program.command('dev').description("a product team's local sandbox: Kafka (and a schema registry) with the mesh applied");
  group
    .command('up')
    .description('start the sandbox (or re-apply to the running one) and print how each product connects')
    .addArgument(pathsArgument())
    .addOption(stackOption(false, 'stack whose sizing and principals apply (default: a test stack)'))
    .addOption(new Option('--runtime <runtime>', 'where Kafka runs').choices(['containers', 'jvm', 'in-process']).default('containers'))
    .addOption(jsonOption('{sandbox, bootstrap, registry?, products: {<id>: {username, password, groupPrefix}}}'))
    .addHelpText('after', UP_HELP)
    .action(cli.action((paths: string[], options: DevUpOptions) => dev().runDevUp(paths, options, cli.io)));
  group
    .command('down')
    .description("remove the sandbox: every container, volume and process 'dev up' made")
    .addOption(jsonOption('{sandbox, removed}'))
    .addHelpText('after', '\nExit codes: 0 removed (or nothing was running), 2 the engine could not remove it.')
    .action(cli.action((options: DevDownOptions) => dev().runDevDown(options, cli.io)));
};
