import { Argument, Option } from 'commander';
import type { AccessOptions } from '../access';
import type { RequestAccessOptions } from '../request-access';
import type { CommandGroup } from '../program';
import { bootstrapOption, collect, jsonOption, pathsArgument, stackOption } from '../options';

const requestAccess = () => require('../request-access') as typeof import('../request-access');
const access = () => require('../access') as typeof import('../access');

export const register: CommandGroup = (program, cli) => {
  program
    .command('request-access')
    .description("ask for access to a topic by adding the grant to its owner's spec (a minimal edit, shown as a diff)")
    .addArgument(new Argument('<topic>', 'the topic, e.g. acme.retail.orders._protected.order_payment'))
    .addOption(new Option('--for <urn>', 'the product that needs access, e.g. urn:acme:finance:billing (required)').makeOptionMandatory())
    .addOption(new Option('--specs <paths...>', "spec files or folders holding the owner's spec (default: specs)").argParser(collect))
    .addOption(new Option('--write', 'write access (grant-write: an input topic the product produces to) instead of read access'))
    .addOption(new Option('--patch <file>', "write the change as a git patch (git am) for the owners' repository and leave the spec as it is"))
    .addHelpText(
      'after',
      `
The owner's spec gets one tag on the topic's channel (AsyncAPI 3.x) or on its send operation
(2.x): grant-access:<urn>, or grant-write:<urn> with --write. Comments, quoting, key order and
layout stay as they are; the diff is printed on stdout. Without --patch the spec file is edited in
place (commit it and open a pull request for the owners).

Refused (exit 1): a public topic (every product reads it; nothing to grant), a private topic
(owner-only), a write grant on a topic that is not _protected, a topic no spec declares (with the
nearest name), a grant that exists already, the owner asking for its own topic.

Example, from a checkout of the owners' specs:
  meshform request-access acme.retail.orders._protected.order_payment \\
    --for urn:acme:analytics:customer360 --patch grant.patch

Exit codes: 0 edited (or patch written), 1 refused, 2 usage error (a bad urn, unreadable specs,
the patch file exists already).`,
    )
    .action(cli.action((topic: string, options: RequestAccessOptions) => requestAccess().runRequestAccess(topic, options, cli.io)));

  program
    .command('access')
    .description('show what a product may read and write on Kafka, and which spec line grants it')
    .addArgument(new Argument('<product>', 'a product urn (urn:acme:finance:billing), id or Kafka principal (User:acme.finance.billing)'))
    .addArgument(pathsArgument())
    .addOption(stackOption())
    .addOption(new Option('--live', "compare with the ACLs and quota on the stack's cluster and name every difference"))
    .addOption(bootstrapOption())
    .addOption(jsonOption('{product, principal, topics, clients, quota, live?}'))
    .addHelpText(
      'after',
      `
From the plan (the ACLs meshform provisions, decided as Kafka's authorizer decides): every topic
the product may read or write, with why (its own prefix, a public topic, a grant-access or
grant-write tag) and where that is written; its consumer-group and transactional-id prefixes; its
client quota. With --live, the cluster's ACLs naming the product's principal (and User:*) and its
quota are read and compared with the plan: what is missing and what is extra.

Exit codes: 0 shown (with --live: the cluster matches), 1 spec errors or (--live) a difference,
2 usage, configuration or connection error.`,
    )
    .action(cli.action((product: string, paths: string[], options: AccessOptions) => access().runAccess(product, paths, options, cli.io)));
};
