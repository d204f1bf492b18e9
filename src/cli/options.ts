/**
 * Arguments and options that mean the same in every verb, so `--stack`, `--json`, paths, `--out`
 * and `--bootstrap` are spelled and explained once.
 */
import { Argument, Option } from 'commander';

/** `[paths...]`: spec files or folders; the default `specs` is applied by the loader. */
export function pathsArgument(): Argument {
  return new Argument('[paths...]', 'spec files or folders, searched recursively (default: specs)');
}

/** `-s, --stack <name>`: required wherever a plan is computed. */
export function stackOption(required = true, what = 'stack whose settings apply'): Option {
  return required
    ? new Option('-s, --stack <name>', `${what}: stacks/Pulumi.<name>.yaml (required)`).makeOptionMandatory()
    : new Option('-s, --stack <name>', `${what}: stacks/Pulumi.<name>.yaml`);
}

export function jsonOption(what: string): Option {
  return new Option('--json', `print ${what} as one JSON document on stdout`);
}

export function bootstrapOption(): Option {
  return new Option('--bootstrap <host:port,...>', "Kafka bootstrap servers (overrides MESHFORM_KAFKA_BOOTSTRAP and the stack's kafkaBootstrap)");
}

export function registryOption(): Option {
  return new Option('--registry <url>', "schema registry base URL (overrides MESHFORM_SCHEMA_REGISTRY_URL and the stack's schemaRegistryUrl)");
}

/** `--strict`: warnings (specs, mesh file, stack) fail the run, exit 1, as errors do (for CI). */
export function strictOption(): Option {
  return new Option('--strict', 'treat warnings as errors: any warning fails the run (exit 1)');
}

/** `-p, --product <id|prefix>`: a part of the mesh, as `meshform plan` selects it. */
export function productOption(): Option {
  return new Option('-p, --product <id|prefix>', 'only these products: an id, or a prefix such as acme.retail (repeatable)').argParser(collect);
}

export function outOption(what: string): Option {
  return new Option('-o, --out <path>', what);
}

export interface StackOptions {
  stack: string;
}

export interface JsonOptions {
  json?: boolean;
}

/** For repeatable options: `--product a --product b,c` -> ['a', 'b', 'c']. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}
