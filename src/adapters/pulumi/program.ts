/**
 * The Pulumi program (`pulumi up -s <stack>`, entry bin/pulumi-program.js). It builds resources
 * from the same plan `meshform plan` prints: stack settings through the stack module's checks,
 * specs through loadMesh, then planMesh. Invalid specs or settings fail the update with the same
 * diagnostics before any resource is registered.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../../diagnostics';
import { loadMesh } from '../../model';
import { serviceAccountEmail } from '../../names';
import { consumersByTopic, planMesh } from '../../plan';
import type { Plan, Resource } from '../../plan/types';
import { stackFromPulumiConfig } from '../../stack/load';
import type { StackConfig } from '../../stack/types';
import { DataProduct } from './data-product';
import type { GcpPlanResource } from './gcp';
import { loadKafkaRegistration, type RegisterKafka } from './kafka-seam';
import { loadSchemaRegistration, type RegisterSchemas } from './schemas';

export interface ProgramOptions {
  /** Default: the current Pulumi stack. */
  stackName?: string;
  /** `meshform:*` config as the Pulumi runtime holds it (secrets decrypted). Default: the runtime's. */
  config?: Record<string, string>;
  /** Project root that `meshform:specs` is relative to. Default: the working directory (Pulumi's project dir). */
  root?: string;
  env?: NodeJS.ProcessEnv;
  /** The Kafka hook; default: the Kafka adapter's, when present (see kafka-seam.ts). `null`: none. */
  registerKafka?: RegisterKafka | null;
  /** The schema registry hook; default: a `meshform:SchemaSubjects` resource per product when the stack names a registry. `null`: none. */
  registerSchemas?: RegisterSchemas | null;
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
): Promise<{ ok: true; plan: Plan; stack: StackConfig; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] }> {
  const stackName = options.stackName ?? pulumi.getStack();
  const settings = stackFromPulumiConfig(stackName, options.config ?? pulumi.runtime.allConfig(), options.env);
  if (!settings.stack || hasErrors(settings.diagnostics)) return { ok: false, diagnostics: settings.diagnostics };
  const stack = settings.stack;
  const root = path.resolve(options.root ?? process.cwd());
  const loaded = await loadMesh([path.resolve(root, stack.specs)], { cwd: root });
  const diagnostics = [...settings.diagnostics, ...loaded.diagnostics];
  if (!loaded.mesh || hasErrors(diagnostics)) return { ok: false, diagnostics };
  return { ok: true, plan: planMesh(loaded.mesh, stack), stack, diagnostics };
}

export async function meshformProgram(options: ProgramOptions = {}): Promise<ProgramOutputs> {
  const planned = await planForPulumi(options);
  if (!planned.ok) throw new PlanningFailed(planned.diagnostics);
  for (const d of sortDiagnostics(planned.diagnostics)) pulumi.log.warn(formatDiagnostic(d));
  return registerPlan(planned.plan, planned.stack, options);
}

/** One component per product, every plan resource registered under its product. */
export function registerPlan(plan: Plan, stack: StackConfig, options: Pick<ProgramOptions, 'registerKafka' | 'registerSchemas'> = {}): ProgramOutputs {
  const byProduct = new Map<string, Resource[]>(plan.products.map((p) => [p.id, []]));
  for (const r of plan.resources) byProduct.get(r.product)?.push(r);

  // IAM members may name another product's account; they wait for it once every product exists.
  let resolveTargets!: (targets: Map<string, pulumi.Resource>) => void;
  const targets = new Promise<Map<string, pulumi.Resource>>((resolve) => (resolveTargets = resolve));
  const dependenciesOf = (r: GcpPlanResource): Promise<pulumi.Resource[]> =>
    targets.then((t) => iamTargets(r).flatMap((key) => t.get(key) ?? []));

  const registerKafka = options.registerKafka === undefined ? loadKafkaRegistration(stack) : (options.registerKafka ?? undefined);
  const consumers = consumersByTopic(plan);
  const registerSchemas = options.registerSchemas === undefined ? loadSchemaRegistration(stack) : (options.registerSchemas ?? undefined);
  const components = plan.products.map(
    (p) => [p.id, new DataProduct(p.id, { resources: byProduct.get(p.id)!, stack, dependenciesOf, registerKafka, registerSchemas, consumers })] as const,
  );

  const known = new Map<string, pulumi.Resource>();
  for (const [id, component] of components) {
    for (const [datasetId, dataset] of component.gcp?.datasets ?? []) known.set(`dataset:${datasetId}`, dataset);
    if (component.gcp?.account) known.set(`account:${serviceAccountEmail(id, stack.gcp.project)}`, component.gcp.account);
  }
  resolveTargets(known);

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
