/**
 * `meshform schemas plan|apply [paths..] --stack <s> [--registry <url>] [--allow-delete] [--json]`:
 * the plan's schema subjects against a Confluent-compatible schema registry. The registry URL comes
 * from --registry, else MESHFORM_SCHEMA_REGISTRY_URL, else the stack's schemaRegistryUrl; basic auth
 * from MESHFORM_SCHEMA_REGISTRY_USERNAME/_PASSWORD or the stack. A thin command over
 * src/adapters/schema-registry; `meshform kafka plan|apply` runs the same engine (see kafka.ts).
 */
import { OwnershipScope } from '../adapters/kafka/engine/scope';
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
import { loadPlanOrExit } from './inputs';
import { EXIT, type Io } from './io';
import type { JsonOptions, StackOptions } from './options';

export interface SchemaCommandOptions extends StackOptions, JsonOptions {
  registry?: string;
  allowDelete?: boolean;
}

export async function runSchemas(mode: 'plan' | 'apply', paths: string[], options: SchemaCommandOptions, io: Io): Promise<number> {
  const loaded = await loadPlanOrExit(io, paths, options.stack);
  if (!loaded.ok) return loaded.exit;
  const { plan, stack } = loaded.value;
  const registry = registryOrExit(io, stack, options.registry, `schemas ${mode}`);
  if (registry === 'error') return EXIT.USAGE;
  if (!registry) {
    io.err(`meshform schemas ${mode}: no schema registry: pass --registry <url>, set MESHFORM_SCHEMA_REGISTRY_URL, or the stack's meshform:schemaRegistryUrl`);
    return EXIT.USAGE;
  }
  let report: SchemaReport;
  try {
    report = await schemaPhase(io, registry, schemaScope(plan, stack), { mode, allowDelete: Boolean(options.allowDelete) || stack.kafka.allowDelete });
  } catch (e) {
    return unavailable(io, `schemas ${mode}`, e);
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

/** The plan's resources and its products, as the schema engine scopes a run. */
export function schemaScope(plan: Plan, stack: StackConfig): { resources: Plan['resources']; scope: OwnershipScope } {
  return { resources: plan.resources, scope: OwnershipScope.ofPlan(plan.products, stack.kafka.principalTemplate) };
}

/** Runs the schema engine over the subjects among `resources` for the products of `scope`. */
export async function schemaPhase(
  io: Io,
  registry: RegistryConnection,
  target: { resources: Plan['resources']; scope: OwnershipScope },
  options: { mode: 'plan' | 'apply'; allowDelete: boolean; holdBack?: ReadonlyMap<string, string> },
): Promise<SchemaReport> {
  const progress = io.interactive ? (message: string) => io.err(`meshform schemas ${options.mode}: ${message}`) : undefined;
  progress?.(`connecting to ${describeRegistry(registry)}`);
  return reconcileSchemas(new RegistryClient(registry), {
    resources: target.resources,
    scope: target.scope,
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
