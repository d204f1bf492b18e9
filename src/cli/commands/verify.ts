import { InvalidArgumentError, Option } from 'commander';
import type { CommandGroup } from '../program';
import { bootstrapOption, collect, jsonOption, pathsArgument, registryOption, stackOption } from '../options';
import type { VerifyCommandOptions } from '../verify';

/** verify loads kafkajs; only when it runs. */
const verify = () => require('../verify') as typeof import('../verify');

/** Kept here: reading a flag must not load kafkajs. */
const DEFAULT_SAMPLE = 100;

export const register: CommandGroup = (program, cli) => {
  program
    .command('verify')
    .description("check what flows on the live topics against the specs: schemas, keys, freshness, consumers' lag")
    .addArgument(pathsArgument())
    .addOption(stackOption(true, 'stack whose Kafka cluster (and schema registry) to read'))
    .addOption(new Option('-p, --product <id|prefix>', "only these products' topics: an id, or a prefix such as acme.retail (repeatable)").argParser(collect))
    .addOption(new Option('--sample <n>', 'records read from the end of every partition').default(DEFAULT_SAMPLE).argParser(sampleParser))
    .addOption(registryOption())
    .addOption(bootstrapOption())
    .addOption(jsonOption('{summary: {topics, records, violations, unread}, topics: [{topic, product, records, violations, examples, freshness, lag, unread, notes, ...}]}'))
    .addHelpText(
      'after',
      `
Per declared topic on the cluster, the last --sample records of every partition are read with
Fetch as the stack's Kafka principal, with no consumer group: nothing is committed or changed.
Each key and value is read as a consumer would: a record in the Confluent wire format (magic byte 0,
schema id) by the registry's schema for that id, which must be a version of <topic>-value (or
-key) that the spec's schema can read; an unframed record by the spec's schema (JSON text by its
JSON Schema; Avro and Protobuf decoded with it, a violation when a registry is configured).
A record without a key on a compacted topic is a violation; a null value is a tombstone.

Freshness: a channel's x-meshform.freshness (ISO-8601, e.g. PT15M) against its newest record.
Lag: each consuming product's groups (named <product id>.* or <product id>-*) against the
maxLag of its receiving channel's x-meshform, else the owner's channel's.

Example (a scheduled job): meshform verify specs --stack prod --json > verify.json

A partition whose records cannot be read (offsets unknown, Fetch refused, e.g. the principal
lacks READ, or a batch that cannot be decompressed) is counted as unread and named in the topic's
notes: it was not verified, and verify does not pass.

Exit codes: 0 no violation and every partition read, 1 a violation or an unread partition (or
spec errors), 2 usage, configuration or connection error (cluster or registry unreachable).`,
    )
    .action(cli.action((paths: string[], options: VerifyCommandOptions) => verify().runVerify(paths, options, cli.io)));
};

function sampleParser(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 100_000) throw new InvalidArgumentError(`--sample must be a whole number from 1 to 100000, not '${text}'`);
  return n;
}
