/**
 * The Pulumi program (`pulumi up -s <stack>`, entry bin/pulumi-program.js). It builds resources
 * from the same plan `meshform plan` prints: stack settings through the stack module's checks,
 * specs through loadMesh, then planMesh. Invalid specs or settings fail the update with the same
 * diagnostics before any resource is registered.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../../vocabulary/diagnostics';
import { loadMesh } from '../../model';
import { gcpNameProblems } from '../../model/gcp-names';
import { accountEmail } from '../../names';
import { consumersByTopic, planMesh } from '../../plan';
import type { Plan, Resource } from '../../plan/types';
import { stackFromPulumiConfig } from '../../stack/load';
import type { StackConfig } from '../../stack/types';
import { DataProduct } from './data-product';
import type { GcpPlanResource } from './gcp';
import { loadKafkaRegistration, type RegisterKafka } from './kafka-seam';
import { projectRoot } from './project-root';
import { programProviders, type ProgramProviders } from './providers';
import { RegistrationWindow, windowSize } from './window';
import { withoutSourcePositions } from './source-positions';
import { loadSchemaRegistration, type RegisterSchemas } from './schemas';

export interface ProgramOptions {
  /** Default: the current Pulumi stack. */
  stackName?: string;
  /** `meshform:*` config as the Pulumi runtime holds it (secrets decrypted). Default: the runtime's. */
  config?: Record<string, string>;
  /**
   * Project root that `meshform:specs` is relative to. Default: the Pulumi project's folder (where
   * `Pulumi.yaml` is), whatever `main` and the working directory are (project-root.ts).
   */
  root?: string;
  env?: NodeJS.ProcessEnv;
  /** The Kafka hook; default: the Kafka adapter's, when present (see kafka-seam.ts). `null`: none. */
  registerKafka?: RegisterKafka | null;
  /** The schema registry hook; default: a `meshform:SchemaSubjects` resource per product when the stack names a registry. `null`: none. */
  registerSchemas?: RegisterSchemas | null;
  /**
   * Explicit providers for the GCP / Kubernetes resources (project, impersonation, kubeconfig).
   * Default: none, unless the stack disables default providers (see providers.ts).
   */
  providers?: ProgramProviders;
  /** How many registrations may wait for the engine at once (window.ts). Default: from `--parallel`. */
  registrationWindow?: number;
}

export interface ProductOutputs {
  /** Layer -> BigQuery dataset id. */
  datasets: pulumi.Output<Record<string, string>>;
  serviceAccountEmail: pulumi.Output<string | undefined>;
}

/** Stack outputs: `pulumi stack output products`. */
export interface ProgramOutputs {
  products: Record<string, ProductOutputs>;
}

/** The failure Pulumi prints as a plain `error:` message, without a stack trace. */
export class PlanningFailed extends pulumi.RunError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super([`meshform: ${errors} error(s); no resources were changed`, ...sortDiagnostics(diagnostics).map(formatDiagnostic)].join('\n'));
  }
}

/** Stack settings, specs and plan; nothing registered. Diagnostics include warnings. */
export async function planForPulumi(
  options: ProgramOptions = {},
): Promise<
  | { ok: true; plan: Plan; stack: StackConfig; consumers: Map<string, string[]>; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] }
> {
  const stackName = options.stackName ?? pulumi.getStack();
  const settings = stackFromPulumiConfig(stackName, options.config ?? pulumi.runtime.allConfig(), options.env);
  if (!settings.stack || hasErrors(settings.diagnostics)) return { ok: false, diagnostics: settings.diagnostics };
  const stack = settings.stack;
  const root = path.resolve(options.root ?? projectRoot(process.cwd(), options.env ?? process.env));
  const loaded = await loadMesh([path.resolve(root, stack.specs)], { cwd: root });
  const diagnostics = [...settings.diagnostics, ...loaded.diagnostics];
  if (!loaded.mesh || hasErrors(diagnostics)) return { ok: false, diagnostics };
  // GCP names made with {env}: checked with the stack's environment before anything is registered.
  diagnostics.push(...gcpNameProblems(loaded.mesh.products, stack.environment));
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  // Consumers mesh-wide: a stack that manages part of the mesh still keeps topics other stacks' products receive from.
  return { ok: true, plan: planMesh(loaded.mesh, stack), stack, consumers: consumersByTopic(loaded.mesh), diagnostics };
}

/**
 * Pulumi's Node runtime captures a stack trace for every promise it makes (to explain leaked
 * promises) and formats it at once: for a 1,000-product mesh that is most of the program's CPU
 * (bench/program.ts). meshform's own failures are diagnostics, never traces, so the program keeps
 * traces short (Pulumi's source positions of resources are unaffected: it captures those with its
 * own limit). MESHFORM_STACK_TRACES=1 or PULUMI_DEBUG_PROMISE_LEAKS keeps Node's default.
 */
export const PROGRAM_STACK_TRACE_LIMIT = 1;

export async function meshformProgram(options: ProgramOptions = {}): Promise<ProgramOutputs> {
  const env = options.env ?? process.env;
  if (env.MESHFORM_STACK_TRACES !== '1' && !env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = Math.min(Error.stackTraceLimit, PROGRAM_STACK_TRACE_LIMIT);
  const planned = await planForPulumi(options);
  if (!planned.ok) throw new PlanningFailed(planned.diagnostics);
  for (const d of sortDiagnostics(planned.diagnostics)) pulumi.log.warn(formatDiagnostic(d));
  const providers = withoutSourcePositions(() => programProviders(planned.stack, options.config ?? pulumi.runtime.allConfig(), options.providers));
  return registerPlan(planned.plan, planned.stack, { ...options, providers, consumers: planned.consumers });
}

/**
 * One component per product, every plan resource registered under its product: first each
 * product's own resources (datasets, account, Crossplane object, Kafka, schemas), then each
 * product's IAM members, which may depend on another product's dataset or account. Products are
 * constructed while fewer than `registrationWindow` of their resources wait for the engine
 * (window.ts): the SDK holds each waiting registration in memory.
 */
export async function registerPlan(
  plan: Plan,
  stack: StackConfig,
  options: Pick<ProgramOptions, 'registerKafka' | 'registerSchemas' | 'providers' | 'registrationWindow'> & {
    /** Topic -> products that receive from it, mesh-wide (`consumersByTopic(mesh)`). Default: the plan's products'. */
    consumers?: ReadonlyMap<string, readonly string[]>;
  } = {},
): Promise<ProgramOutputs> {
  const byProduct = new Map<string, Resource[]>(plan.products.map((p) => [p.id, []]));
  for (const r of plan.resources) byProduct.get(r.product)?.push(r);

  const providers = Object.values(options.providers ?? {}).filter((p): p is pulumi.ProviderResource => p !== undefined);
  const registerKafka = options.registerKafka === undefined ? loadKafkaRegistration(stack) : (options.registerKafka ?? undefined);
  const consumers = options.consumers ?? consumersByTopic(plan);
  const registerSchemas = options.registerSchemas === undefined ? loadSchemaRegistration(stack) : (options.registerSchemas ?? undefined);
  const window = new RegistrationWindow(options.registrationWindow ?? windowSize());

  const components: [string, DataProduct][] = [];
  const known = new Map<string, pulumi.Resource>();
  for (const p of plan.products) {
    await window.room();
    const component = withoutSourcePositions(() => new DataProduct(p.id, { resources: byProduct.get(p.id)!, stack, registerKafka, registerSchemas, consumers, adopted: p.adopted }, { providers }));
    window.track(component.registered);
    components.push([p.id, component]);
    for (const [datasetId, dataset] of component.gcp?.datasets ?? []) known.set(`dataset:${datasetId}`, dataset);
    const account = byProduct.get(p.id)!.find((r) => r.kind === 'gcp:serviceaccount:Account');
    if (component.gcp?.account && account) known.set(`account:${accountEmail(account.properties.accountId, account.properties.project)}`, component.gcp.account);
  }
  const dependenciesOf = (r: GcpPlanResource) => iamTargets(r).flatMap((key) => known.get(key) ?? []);
  for (const [, component] of components) {
    await window.room();
    window.track(withoutSourcePositions(() => component.registerAccess(dependenciesOf)));
  }

  return {
    products: Object.fromEntries(
      components.map(([id, c]) => [id, { datasets: c.datasetIds, serviceAccountEmail: c.serviceAccountEmail }]),
    ),
  };
}

/** Keys (as registered above) of the resources an IAM member targets or names. */
function iamTargets(r: GcpPlanResource): string[] {
  const keys: string[] = [];
  if (r.kind === 'gcp:bigquery:DatasetIamMember') keys.push(`dataset:${r.properties.datasetId}`);
  if (r.kind === 'gcp:serviceaccount:IAMMember') keys.push(`account:${r.properties.serviceAccountId.replace(/^.*\/serviceAccounts\//, '')}`);
  if ('member' in r.properties && r.properties.member.startsWith('serviceAccount:')) {
    keys.push(`account:${r.properties.member.slice('serviceAccount:'.length)}`);
  }
  return keys;
}
