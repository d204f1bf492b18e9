/**
 * `meshform kafka plan|apply [paths..] --stack <name> [--product <id|prefix>]... [--bootstrap host:port]
 *   [--allow-delete] [--allow-delete-private] [--allow-breaking] [--registry <url>] [--all-or-nothing]
 *   [--strict] [--detailed-exitcode --out <file> (plan) | --yes (apply)] [--json]` (with a schema
 *   registry configured, the product's schemas are checked first and registered after its topics; on
 *   a terminal, apply asks first and then makes exactly the changes it showed; `kafka apply --plan`
 *   is kafka-apply-saved.ts) and
 *   `meshform kafka export --domain <urn> [--bootstrap ...] [--stack <name>] [--out file [--force]]`.
 * A thin command over the reconcile engine in src/adapters/kafka; loaded only when a kafka verb runs
 * (commands/kafka.ts), so other verbs never load kafkajs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import {
  aclText,
  ClusterLease,
  declaredNames,
  fingerprintState,
  movedSince,
  ExportError,
  exportDomain,
  formatReport,
  KafkaConfigError,
  KafkaWire,
  KafkaWireError,
  readState,
  reconcile,
  leaseWaitMs,
  LeaseBusy,
  LeaseLost,
  type LeaseOptions,
  describeSelf,
  reconcileKafka,
  resolveConnection,
  kafkaSettingsFromEnv,
  StalePlanError,
  type Change,
  type ClusterState,
  type DeletePermissions,
  type ReconcileRequest,
  type ExportSizing,
  type KafkaConnection,
  type KafkaReport,
  type ResourceStatus,
} from '../adapters/kafka';
import { formatSchemaReport, type SchemaReport, type SubjectStatus } from '../adapters/schema-registry';
import { consumersByTopic } from '../plan';
import { selectPlan } from '../plan/select';
import { describeFsError } from '../reading/files';
import { domainIdOf, isProductUrn, urnOf } from '../reading/urn';
import { didYouMean } from '../suggest';
import type { StackConfig } from '../stack/types';
import { loadPlanOrExit, loadStackOrExit, type StrictOption } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import { savedPlan, writeSavedPlan } from './kafka-saved-plan';
import type { JsonOptions, StackOptions } from './options';
import { checkProductPatterns } from './plan';
import { registryOrExit, schemaPhase, schemaScope, unavailable } from './schemas';
import { writeBlocks, writeJson } from './streamed';

export interface ReconcileOptions extends Partial<StackOptions>, JsonOptions, StrictOption {
  bootstrap?: string;
  allowDelete?: boolean;
  allowDeletePrivate?: boolean;
  allowBreaking?: boolean;
  registry?: string;
  allOrNothing?: boolean;
  /** Only these products (ids or prefixes), as `meshform plan --product`. */
  product?: string[];
  /** apply: no confirmation. */
  yes?: boolean;
  /** plan: exit 2 when there are changes (refused ones included). */
  detailedExitcode?: boolean;
  /** plan: save the plan to this file, for `kafka apply --plan`. */
  out?: string;
  /** apply: carry out this saved plan (see kafka-saved-plan.ts). */
  plan?: string;
  /** apply: seconds to wait for another run's lease on the cluster. */
  leaseWait?: number;
}

export interface ExportOptions {
  domain: string;
  bootstrap?: string;
  stack?: string;
  out?: string;
  force?: boolean;
}

export async function runReconcile(mode: 'plan' | 'apply', paths: string[], options: ReconcileOptions, io: Io): Promise<number> {
  // `kafka apply` takes its stack from a saved plan when given one; without, the stack is required.
  if (!options.stack) throw new UsageError("required option '-s, --stack <name>' not specified");
  if (mode === 'plan' && options.plan !== undefined) throw new UsageError('--plan is for kafka apply; kafka plan saves a plan with --out');
  const { exit, report, schemas } = await reconcileCommand(mode, paths, { ...options, stack: options.stack }, io);
  if (mode === 'plan' && options.detailedExitcode) {
    // Terraform's convention: 0 no changes, 2 changes pending, 1 an error. A refused change is pending
    // too: the cluster still differs from the specs, and someone has to decide.
    if (!report) return EXIT.FAILED;
    const pending = pendingCount(report.summary) + report.summary.refused + (schemas ? pendingCount(schemas.summary) + schemas.summary.refused : 0);
    const refused = [...report.resources, ...(schemas?.resources ?? [])].filter((r) => r.state === 'REFUSED');
    if (refused.length > 0) io.err(`meshform kafka plan: ${refused.length} refused change(s) pending (exit 2 with --detailed-exitcode): ${nameSome(refused.map(subjectOf))}`);
    return pending > 0 ? DETAILED_CHANGES : EXIT.OK;
  }
  return exit;
}

/** `--detailed-exitcode`: the plan has changes to make. */
export const DETAILED_CHANGES = 2;

/** `topic acme.user._public.signups`, `acl ALLOW User:x READ on TOPIC ...`, `subject acme.x-value`. */
export function subjectOf(r: ResourceStatus | SubjectStatus): string {
  if (r.kind === 'schema:Subject') return `subject ${r.subject}`;
  return r.kind === 'kafka:Topic' ? `topic ${r.topic}` : `acl ${aclText(r.acl!)}`;
}

/** The first few names, then how many more. */
function nameSome(names: string[], shown = 5): string {
  return names.length <= shown ? names.join('; ') : `${names.slice(0, shown).join('; ')}; ... and ${names.length - shown} more`;
}

async function reconcileCommand(
  mode: 'plan' | 'apply',
  paths: string[],
  options: ReconcileOptions & StackOptions,
  io: Io,
): Promise<{ exit: number; report?: KafkaReport; schemas?: SchemaReport }> {
  const loaded = await loadPlanOrExit(io, paths, options.stack, { strict: options.strict });
  if (!loaded.ok) return { exit: loaded.exit };
  const { plan: whole, stack, mesh } = loaded.value;
  const patterns = options.product ?? [];
  checkProductPatterns(whole, patterns);
  const plan = patterns.length > 0 ? selectPlan(whole, { products: patterns }) : whole;
  const registry = registryOrExit(io, stack, options.registry, `kafka ${mode}`);
  if (registry === 'error') return { exit: EXIT.USAGE };
  const allowDelete = Boolean(options.allowDelete) || stack.kafka.allowDelete;

  const connection = connectionOrExit(io, () => resolveConnection(stack.kafka.connection, { bootstrap: options.bootstrap }));
  if (!connection) return { exit: EXIT.USAGE };
  // Where changes go, and as whom, belongs in every log, not only on a terminal.
  io.err(`meshform kafka ${mode}: ${describeTarget(connection)}, stack '${stack.name}'`);
  if (patterns.length > 0) {
    const by = patterns.map((p) => `--product ${p}`).join(' ');
    io.err(`meshform kafka ${mode}: ${plan.products.length} of ${whole.products.length} product(s) selected by ${by}: only their topics, ACLs and schemas are read and changed`);
  }
  const progress = io.interactive ? (message: string) => io.err(`meshform kafka ${mode}: ${message}`) : undefined;

  // Schemas are checked first: a product with a refused schema changes nothing, topics included.
  let schemas: SchemaReport | undefined;
  const target = schemaScope(plan, stack);
  const subjects = plan.resources.filter((r) => r.kind === 'schema:Subject').length;
  if (registry) {
    try {
      schemas = await schemaPhase(io, registry, target, { mode: 'plan', allowDelete });
    } catch (e) {
      return { exit: unavailable(io, `kafka ${mode}`, e) };
    }
  } else if (subjects > 0) {
    io.err(`meshform kafka ${mode}: no schema registry configured (--registry, MESHFORM_SCHEMA_REGISTRY_URL or meshform:schemaRegistryUrl): ${subjects} schema subject(s) not checked or registered`);
  }

  const permissions: DeletePermissions = {
    allowDelete,
    allowDeletePrivate: Boolean(options.allowDeletePrivate) || stack.kafka.allowDeletePrivate,
    allowBreaking: Boolean(options.allowBreaking) || stack.kafka.allowBreaking,
  };
  const request = (run: 'plan' | 'apply', approved?: KafkaReport): ReconcileRequest => ({
    resources: plan.resources,
    scope: target.scope,
    mode: run,
    permissions,
    // Who consumes a topic is a mesh-wide fact, whichever products are selected (or another stack manages).
    consumers: consumersByTopic(mesh),
    holdBack: new Map(Object.entries(schemas?.refusedProducts ?? {})),
    allOrNothing: options.allOrNothing,
    approved: approved?.resources,
    onProgress: progress,
    lease: applyLease(io, options, `meshform kafka apply (stack ${stack.name})`),
  });

  let report: KafkaReport;
  try {
    if (mode === 'plan') {
      const planned = await planWithState(connection, request('plan'));
      report = planned.report;
      if (options.out) {
        const saved = savedPlan({ ...planned, stack: stack.name, connection, selection: patterns, permissions, allOrNothing: Boolean(options.allOrNothing), request: request('plan'), schemas, registry });
        const problem = writeSavedPlan(options.out, saved);
        if (problem) {
          io.err(`meshform kafka plan: ${problem}`);
          return { exit: EXIT.USAGE };
        }
        io.err(`meshform kafka plan: plan saved to ${options.out}; 'meshform kafka apply --plan ${options.out}' makes exactly these changes, or none if the cluster has moved`);
      }
    } else if (!options.yes) {
      // Show what would change, ask, then make exactly those changes (or none, if the cluster moved meanwhile).
      const shown = await planWithState(connection, request('plan'));
      const planned = shown.report;
      const pending = pendingCount(planned.summary) + (schemas ? pendingCount(schemas.summary) : 0);
      if (pending === 0) return { exit: printReport(io, planned, schemas, options), report: planned, schemas };
      (options.json ? io.err : io.out)([...formatReport(planned), ...(schemas ? formatSchemaReport(schemas) : [])].join('\n'));
      const confirmed = await confirm(io, `Apply ${pending} change(s) to Kafka at ${connection.brokers.join(',')}${schemas ? ' and the schema registry' : ''}? Only 'yes' applies: `);
      if (confirmed !== true) return { exit: confirmed };
      const applied = await applyAsShown(connection, request('apply', planned), shown.state);
      if ('moved' in applied) {
        io.err(`meshform kafka apply: the cluster moved since the plan was shown: ${applied.moved.join(', ')}; nothing was changed: run the command again`);
        return { exit: EXIT.USAGE };
      }
      report = applied.report;
    } else {
      report = await reconcileKafka(connection, request(mode));
    }
  } catch (e) {
    if (e instanceof StalePlanError) {
      io.err(`meshform kafka apply: ${e.message}`);
      return { exit: EXIT.FAILED };
    }
    const refused = leaseExit(io, e);
    if (refused !== undefined) return { exit: refused };
    return { exit: wireFailure(io, `kafka ${mode}`, e) };
  }

  if (registry && mode === 'apply') {
    try {
      schemas = await schemaPhase(io, registry, target, { mode: 'apply', allowDelete, holdBack: schemaHoldBack(report, schemas) });
    } catch (e) {
      return { exit: unavailable(io, `kafka ${mode}`, e) };
    }
  }
  return { exit: printReport(io, report, schemas, options), report, schemas };
}

/**
 * Plan mode with what the diff read: the scope's part of the cluster (for a saved plan's
 * fingerprint), the cluster's id and the changes themselves.
 */
async function planWithState(
  connection: KafkaConnection,
  request: ReconcileRequest,
): Promise<{ report: KafkaReport; state: ClusterState; changes: readonly Change[]; clusterId: string | null }> {
  const wire = await KafkaWire.open(connection);
  try {
    request.onProgress?.('reading cluster state');
    const state = await readState(wire, request.scope, declaredNames(request.resources));
    let changes: readonly Change[] = [];
    const report = await reconcile(wire, { ...request, before: state, onChanges: (c) => (changes = c) });
    return { report, state, changes, clusterId: wire.clusterId ?? null };
  } finally {
    await wire.close();
  }
}

/**
 * After a person said yes to a plan: takes the cluster's lease (not held while the question was
 * open), reads the scope's part of the cluster under it and compares it with what the plan was made
 * from (the saved plans' fingerprint): moved, nothing is changed and what moved is returned; else
 * the confirmed changes are made (any other difference, e.g. in quotas, is still a StalePlanError).
 */
async function applyAsShown(connection: KafkaConnection, request: ReconcileRequest, shown: ClusterState): Promise<{ report: KafkaReport } | { moved: string[] }> {
  const wire = await KafkaWire.open(connection);
  let lease: ClusterLease | undefined;
  try {
    lease = await ClusterLease.acquire(wire, request.lease as LeaseOptions);
    request.onProgress?.('reading cluster state');
    const now = await readState(wire, request.scope, declaredNames(request.resources));
    const moved = movedSince(fingerprintState(shown, request.scope), fingerprintState(now, request.scope));
    if (moved.length > 0) return { moved };
    return { report: await reconcile(wire, { ...request, before: now, lease }) };
  } finally {
    await lease?.release().catch(() => undefined);
    await wire.close();
  }
}

/** How long `kafka apply` waits for another run's lease without --lease-wait or MESHFORM_KAFKA_LEASE_WAIT. */
const DEFAULT_LEASE_WAIT_SECONDS = 120;

/** The cluster's lease as `kafka apply` takes it: waits --lease-wait seconds, always saying for whom (on a terminal or not). */
export function applyLease(io: Io, options: Pick<ReconcileOptions, 'leaseWait'>, who: string): LeaseOptions {
  return {
    waitMs: leaseWaitMs(options.leaseWait, DEFAULT_LEASE_WAIT_SECONDS),
    who: describeSelf(who),
    onWait: (holder) => io.err(`meshform kafka apply: waiting for the cluster's lease: ${holder.who} holds it (until ${new Date(holder.expiresAt).toISOString()} unless renewed)`),
  };
}

/** The exit code of a lease problem (another run kept it: 2; this run lost it: 1), or undefined for any other error. */
export function leaseExit(io: Io, e: unknown): number | undefined {
  if (!(e instanceof LeaseBusy) && !(e instanceof LeaseLost)) return undefined;
  io.err(`meshform kafka apply: ${e.message}`);
  return e instanceof LeaseBusy ? EXIT.USAGE : EXIT.FAILED;
}

/** Products whose schemas must wait after the Kafka run: a refused schema, or a Kafka change refused or failed. */
export function schemaHoldBack(report: KafkaReport, schemas: SchemaReport | undefined): Map<string, string> {
  const holdBack = new Map(Object.entries(schemas?.refusedProducts ?? {}));
  for (const r of report.resources) {
    if ((r.state === 'REFUSED' || r.state === 'FAILED') && !holdBack.has(r.product)) holdBack.set(r.product, `a Kafka change of ${r.product} was ${r.state.toLowerCase()}`);
  }
  return holdBack;
}

/** CREATE, UPDATE and DELETE: what an apply would make (refusals are not). */
export const pendingCount = (s: { create: number; update: number; delete: number }) => s.create + s.update + s.delete;

export function printReport(io: Io, report: KafkaReport, schemas: SchemaReport | undefined, options: JsonOptions): number {
  if (options.json) {
    writeJson(io, { summary: report.summary, resources: report.resources, ...(report.interrupted && { interrupted: true }), ...(schemas && { schemas: { summary: schemas.summary, resources: schemas.resources } }) });
  } else {
    writeBlocks(io, [...formatReport(report), ...(schemas ? formatSchemaReport(schemas) : [])]);
  }
  if (report.interrupted) {
    io.err(`meshform kafka apply: ${INTERRUPTED_MESSAGE}`);
    return EXIT.INTERRUPTED;
  }
  const bad = (s: { failed: number; refused: number }) => s.failed > 0 || s.refused > 0;
  return bad(report.summary) || (schemas !== undefined && bad(schemas.summary)) ? EXIT.FAILED : EXIT.OK;
}

/** What an apply cut short says (exit 3), after its report. */
export const INTERRUPTED_MESSAGE =
  "interrupted: the connection to Kafka was lost or timed out while changes were being made, so what was sent last may or may not have been done (FAILED above, 'outcome unknown'). Old ACLs are removed only after every new one is in, so no access was taken away. Run the same command again to finish: it converges (it first waits for this run's lease on the cluster to expire, at most 60 s)";

/** True on 'yes'; otherwise the exit code: no one to ask is a usage error, any other answer cancels. */
export async function confirm(io: Io, question: string): Promise<true | number> {
  if (!io.ask) {
    io.err('meshform kafka apply: no change made: confirm on a terminal, or pass --yes (e.g. in CI)');
    return EXIT.USAGE;
  }
  const answer = await io.ask(question);
  if (answer?.trim() === 'yes') return true;
  io.err('meshform kafka apply: cancelled; no change made');
  return EXIT.FAILED;
}

/** `localhost:9092 as User:admin (SASL plain, TLS off)`: the cluster and the principal the engine acts as. */
export function describeTarget(connection: KafkaConnection): string {
  const who = connection.sasl ? `User:${connection.sasl.username} (SASL ${connection.sasl.mechanism}` : 'User:ANONYMOUS (no SASL';
  return `Kafka at ${connection.brokers.join(',')} as ${who}, TLS ${connection.tls ? 'on' : 'off'})`;
}

export async function runExport(values: ExportOptions, io: Io): Promise<number> {
  if (!isProductUrn(values.domain)) throw new UsageError(`"${values.domain}" is not a product URN, e.g. urn:acme:retail:orders`);
  const resolved = connectionFor(io, values);
  if (typeof resolved === 'number') return resolved;
  const { connection, stack } = resolved;
  let sizing: ExportSizing | undefined;
  if (stack) {
    const { partitionFactor, replicasCap, defaultReplicas } = stack.kafka;
    sizing = { stack: stack.name, partitionFactor, replicasCap, defaultReplicas };
  }

  let wire: KafkaWire | undefined;
  try {
    io.err(`meshform kafka export: reading ${describeTarget(connection)}`);
    wire = await KafkaWire.open(connection);
    const result = await exportDomain(wire, values.domain, connection.brokers.join(','), sizing);
    if (result.topics === 0) {
      const id = domainIdOf(values.domain);
      const hint = didYouMean(id, result.productsSeen ?? [], urnOf);
      io.err(`meshform kafka export: no topic of ${values.domain} on the cluster (none under ${id}._public/_protected/_private)${hint}; nothing written`);
      return EXIT.FAILED;
    }
    for (const note of result.notes) io.err(`meshform kafka export: note: ${note}`);
    const text = stringify(result.document, { lineWidth: 0 });
    if (values.out) {
      const problem = writeSpecFile(values.out, text, Boolean(values.force));
      if (problem) {
        io.err(`meshform kafka export: ${problem}`);
        return EXIT.USAGE;
      }
      io.err(`meshform kafka export: wrote ${values.out}`);
    } else {
      io.out(text);
    }
    return EXIT.OK;
  } catch (e) {
    if (e instanceof ExportError) throw new UsageError(e.message);
    return wireFailure(io, 'kafka export', e);
  } finally {
    await wire?.close();
  }
}

/**
 * Writes the exported spec, creating its folder. An existing file is kept unless `force`: it is
 * most likely a spec a team has edited since the last export.
 */
function writeSpecFile(file: string, text: string, force: boolean): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') return `cannot write ${file}: a part of its folder path is a file`;
    return `cannot create the folder of ${file}: ${describeFsError(e)}`;
  }
  try {
    writeFileSync(file, text, { flag: force ? 'w' : 'wx' });
    return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return `${file} already exists; pass --force to overwrite it`;
    return `cannot write ${file}: ${describeFsError(e)}`;
  }
}

/**
 * The connection of a verb whose stack is optional: the stack's Kafka settings when one is named
 * (the stack too, then), overridden by the environment and --bootstrap; or the exit code after a
 * printed problem.
 */
export function connectionFor(io: Io, options: { stack?: string; bootstrap?: string }): { connection: KafkaConnection; stack?: StackConfig } | number {
  let stack: StackConfig | undefined;
  if (options.stack) {
    const loaded = loadStackOrExit(io, options.stack);
    if (!loaded.ok) return loaded.exit;
    stack = loaded.value;
  }
  const settings = stack?.kafka.connection;
  const connection = connectionOrExit(io, () => resolveConnection(settings ?? kafkaSettingsFromEnv(process.env), { bootstrap: options.bootstrap }));
  if (!connection) return EXIT.USAGE;
  return stack ? { connection, stack } : { connection };
}

export function connectionOrExit(io: Io, resolve: () => KafkaConnection): KafkaConnection | undefined {
  try {
    return resolve();
  } catch (e) {
    if (!(e instanceof KafkaConfigError)) throw e;
    io.err(`meshform kafka: ${e.message}`);
    return undefined;
  }
}

/** Cluster unreachable or a read refused: a configuration problem for the caller, exit 2. */
export function wireFailure(io: Io, command: string, e: unknown): number {
  if (!(e instanceof KafkaWireError)) throw e;
  io.err(`meshform ${command}: ${e.message}`);
  return EXIT.USAGE;
}
