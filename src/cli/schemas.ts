/**
 * `meshform schemas plan|apply [paths..] --stack <s> [--registry <url>] [--allow-delete] [--json]`:
 * the plan's schema subjects against a Confluent-compatible schema registry. The registry URL comes
 * from --registry, else MESHFORM_SCHEMA_REGISTRY_URL, else the stack's schemaRegistryUrl; basic auth
 * from MESHFORM_SCHEMA_REGISTRY_USERNAME/_PASSWORD or the stack. A thin command over
 * src/adapters/schema-registry; `meshform kafka plan|apply` runs the same engine (see kafka.ts).
 */
import { OwnershipScope } from '../adapters/kafka/scope';
import {
  describeRegistry,
  formatSchemaReport,
  reconcileSchemas,
  RegistryClient,
  RegistryUnavailable,
  resolveRegistry,
  type RegistryConnection,
  type SchemaReport,
} from '../adapters/schema-registry';
import type { Plan } from '../plan/types';
import type { StackConfig } from '../stack/types';
import { parseCommandArgs, requireStack } from './args';
import { loadPlanOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';

export interface SchemasOptions {
  mode: 'plan' | 'apply';
  paths: string[];
  stack: string;
  registry?: string;
  allowDelete: boolean;
  json: boolean;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'plan' && verb !== 'apply') throw new UsageError(`expected plan or apply after 'schemas'${verb ? `, not '${verb}'` : ''}`);
  const { values, positionals } = parseCommandArgs(rest, {
    stack: { type: 'string', short: 's' },
    registry: { type: 'string' },
    'allow-delete': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  return runSchemas(
    { mode: verb, paths: positionals, stack: requireStack(values.stack), registry: values.registry, allowDelete: values['allow-delete'], json: values.json },
    io,
  );
}

export async function runSchemas(options: SchemasOptions, io: Io): Promise<number> {
  const loaded = await loadPlanOrExit(io, options.paths, options.stack);
  if (!loaded.ok) return loaded.exit;
  const { plan, stack } = loaded.value;
  const registry = registryOrExit(io, stack, options.registry, 'schemas');
  if (registry === 'error') return EXIT.USAGE;
  if (!registry) {
    io.err(`meshform schemas: no schema registry: pass --registry <url>, set MESHFORM_SCHEMA_REGISTRY_URL, or the stack's meshform:schemaRegistryUrl`);
    return EXIT.USAGE;
  }
  let report: SchemaReport;
  try {
    report = await schemaPhase(io, registry, plan, stack, { mode: options.mode, allowDelete: options.allowDelete || stack.kafka.allowDelete });
  } catch (e) {
    return unavailable(io, 'schemas', e);
  }
  if (options.json) io.out(JSON.stringify({ summary: report.summary, resources: report.resources }, null, 2));
  else io.out(formatSchemaReport(report).join('\n'));
  return report.summary.failed > 0 || report.summary.refused > 0 ? EXIT.FAILED : EXIT.OK;
}

/** The registry to use, undefined when none is configured, or 'error' (already printed). */
export function registryOrExit(io: Io, stack: StackConfig, url: string | undefined, command: string): RegistryConnection | undefined | 'error' {
  try {
    return resolveRegistry(stack.schemas.registry, { url });
  } catch (e) {
    if (!(e instanceof RegistryUnavailable)) throw e;
    io.err(`meshform ${command}: ${e.message}`);
    return 'error';
  }
}

/** Runs the schema engine over the plan's subjects for the plan's products. */
export async function schemaPhase(
  io: Io,
  registry: RegistryConnection,
  plan: Plan,
  stack: StackConfig,
  options: { mode: 'plan' | 'apply'; allowDelete: boolean; holdBack?: ReadonlyMap<string, string> },
): Promise<SchemaReport> {
  const progress = io.interactive ? (message: string) => io.err(`meshform schemas ${options.mode}: ${message}`) : undefined;
  progress?.(`connecting to ${describeRegistry(registry)}`);
  return reconcileSchemas(new RegistryClient(registry), {
    resources: plan.resources,
    scope: OwnershipScope.ofProducts(plan.products.map((p) => p.id), stack.kafka.principalTemplate),
    mode: options.mode,
    allowDelete: options.allowDelete,
    holdBack: options.holdBack,
    onProgress: progress,
  });
}

/** Registry unreachable or credentials refused: a configuration problem, exit 2. */
export function unavailable(io: Io, command: string, e: unknown): number {
  if (!(e instanceof RegistryUnavailable)) throw e;
  io.err(`meshform ${command}: ${e.message}`);
  return EXIT.USAGE;
}
