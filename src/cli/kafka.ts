/**
 * `meshform kafka plan|apply [paths..] --stack <name> [--bootstrap host:port] [--allow-delete]
 *   [--allow-delete-private] [--allow-breaking] [--registry <url>] [--all-or-nothing]
 *   [--detailed-exitcode (plan) | --yes (apply)] [--json]` (with a schema registry configured, the
 *   product's schemas are checked first and registered after its topics; on a terminal, apply asks
 *   first and then makes exactly the changes it showed) and
 *   `meshform kafka export --domain <urn> [--bootstrap ...] [--stack <name>] [--out file [--force]]`.
 * A thin command over the reconcile engine in src/adapters/kafka; loaded only when a kafka verb runs
 * (commands/kafka.ts), so other verbs never load kafkajs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import {
  ExportError,
  exportDomain,
  formatReport,
  KafkaConfigError,
  KafkaWire,
  KafkaWireError,
  OwnershipScope,
  reconcileKafka,
  resolveConnection,
  StalePlanError,
  type ReconcileRequest,
  type ExportSizing,
  type KafkaConnection,
  type KafkaReport,
} from '../adapters/kafka';
import { formatSchemaReport, type SchemaReport } from '../adapters/schema-registry';
import { consumersByTopic } from '../plan';
import { describeFsError } from '../reading/files';
import { domainIdOf, isProductUrn, urnOf } from '../reading/urn';
import { didYouMean } from '../suggest';
import { DEFAULTS } from '../stack/settings';
import type { KafkaConnectionSettings, StackConfig } from '../stack/types';
import { loadPlanOrExit, loadStackOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions, StackOptions } from './options';
import { registryOrExit, schemaPhase, unavailable } from './schemas';

export interface ReconcileOptions extends StackOptions, JsonOptions {
  bootstrap?: string;
  allowDelete?: boolean;
  allowDeletePrivate?: boolean;
  allowBreaking?: boolean;
  registry?: string;
  allOrNothing?: boolean;
  /** apply: no confirmation. */
  yes?: boolean;
  /** plan: exit 2 when there are changes. */
  detailedExitcode?: boolean;
}

export interface ExportOptions {
  domain: string;
  bootstrap?: string;
  stack?: string;
  out?: string;
  force?: boolean;
}

export async function runReconcile(mode: 'plan' | 'apply', paths: string[], options: ReconcileOptions, io: Io): Promise<number> {
  const { exit, report, schemas } = await reconcileCommand(mode, paths, options, io);
  if (mode === 'plan' && options.detailedExitcode) {
    // Terraform's convention: 0 no changes, 2 changes to make, 1 anything else (also a change that would be refused).
    if (exit !== EXIT.OK || !report) return EXIT.FAILED;
    return pendingCount(report.summary) + (schemas ? pendingCount(schemas.summary) : 0) > 0 ? DETAILED_CHANGES : EXIT.OK;
  }
  return exit;
}

/** `--detailed-exitcode`: the plan has changes to make. */
const DETAILED_CHANGES = 2;

async function reconcileCommand(
  mode: 'plan' | 'apply',
  paths: string[],
  options: ReconcileOptions,
  io: Io,
): Promise<{ exit: number; report?: KafkaReport; schemas?: SchemaReport }> {
  const loaded = await loadPlanOrExit(io, paths, options.stack);
  if (!loaded.ok) return { exit: loaded.exit };
  const { plan, stack } = loaded.value;
  const registry = registryOrExit(io, stack, options.registry, `kafka ${mode}`);
  if (registry === 'error') return { exit: EXIT.USAGE };
  const allowDelete = Boolean(options.allowDelete) || stack.kafka.allowDelete;

  const connection = connectionOrExit(io, () => resolveConnection(stack.kafka.connection, process.env, { bootstrap: options.bootstrap }));
  if (!connection) return { exit: EXIT.USAGE };
  // Where changes go, and as whom, belongs in every log, not only on a terminal.
  io.err(`meshform kafka ${mode}: ${describeTarget(connection)}, stack '${stack.name}'`);
  const progress = io.interactive ? (message: string) => io.err(`meshform kafka ${mode}: ${message}`) : undefined;

  // Schemas are checked first: a product with a refused schema changes nothing, topics included.
  let schemas: SchemaReport | undefined;
  const subjects = plan.resources.filter((r) => r.kind === 'schema:Subject').length;
  if (registry) {
    try {
      schemas = await schemaPhase(io, registry, plan, stack, { mode: 'plan', allowDelete });
    } catch (e) {
      return { exit: unavailable(io, `kafka ${mode}`, e) };
    }
  } else if (subjects > 0) {
    io.err(`meshform kafka ${mode}: no schema registry configured (--registry, MESHFORM_SCHEMA_REGISTRY_URL or meshform:schemaRegistryUrl): ${subjects} schema subject(s) not checked or registered`);
  }

  const request = (run: 'plan' | 'apply', approved?: KafkaReport): ReconcileRequest => ({
    resources: plan.resources,
    scope: OwnershipScope.ofProducts(
      plan.products.map((p) => p.id),
      stack.kafka.principalTemplate,
    ),
    mode: run,
    permissions: {
      allowDelete,
      allowDeletePrivate: Boolean(options.allowDeletePrivate) || stack.kafka.allowDeletePrivate,
      allowBreaking: Boolean(options.allowBreaking) || stack.kafka.allowBreaking,
    },
    consumers: consumersByTopic(plan),
    holdBack: new Map(Object.entries(schemas?.refusedProducts ?? {})),
    allOrNothing: options.allOrNothing,
    approved: approved?.resources,
    onProgress: progress,
  });

  let report: KafkaReport;
  try {
    if (mode === 'apply' && !options.yes) {
      // Show what would change, ask, then make exactly those changes (or none, if the cluster moved meanwhile).
      const planned = await reconcileKafka(connection, request('plan'));
      const pending = pendingCount(planned.summary) + (schemas ? pendingCount(schemas.summary) : 0);
      if (pending === 0) return { exit: printReport(io, planned, schemas, options), report: planned, schemas };
      (options.json ? io.err : io.out)([...formatReport(planned), ...(schemas ? formatSchemaReport(schemas) : [])].join('\n'));
      const confirmed = await confirm(io, `Apply ${pending} change(s) to Kafka at ${connection.brokers.join(',')}${schemas ? ' and the schema registry' : ''}? Only 'yes' applies: `);
      if (confirmed !== true) return { exit: confirmed };
      report = await reconcileKafka(connection, request('apply', planned));
    } else {
      report = await reconcileKafka(connection, request(mode));
    }
  } catch (e) {
    if (e instanceof StalePlanError) {
      io.err(`meshform kafka apply: ${e.message}`);
      return { exit: EXIT.FAILED };
    }
    return { exit: wireFailure(io, `kafka ${mode}`, e) };
  }

  if (registry && mode === 'apply') {
    const holdBack = new Map(Object.entries(schemas?.refusedProducts ?? {}));
    for (const r of report.resources) {
      if ((r.state === 'REFUSED' || r.state === 'FAILED') && !holdBack.has(r.product)) holdBack.set(r.product, `a Kafka change of ${r.product} was ${r.state.toLowerCase()}`);
    }
    try {
      schemas = await schemaPhase(io, registry, plan, stack, { mode: 'apply', allowDelete, holdBack });
    } catch (e) {
      return { exit: unavailable(io, `kafka ${mode}`, e) };
    }
  }
  return { exit: printReport(io, report, schemas, options), report, schemas };
}

const pendingCount = (s: { create: number; update: number; delete: number }) => s.create + s.update + s.delete;

function printReport(io: Io, report: KafkaReport, schemas: SchemaReport | undefined, options: JsonOptions): number {
  if (options.json) {
    io.out(JSON.stringify({ summary: report.summary, resources: report.resources, ...(schemas && { schemas: { summary: schemas.summary, resources: schemas.resources } }) }, null, 2));
  } else {
    io.out([...formatReport(report), ...(schemas ? formatSchemaReport(schemas) : [])].join('\n'));
  }
  const bad = (s: { failed: number; refused: number }) => s.failed > 0 || s.refused > 0;
  return bad(report.summary) || (schemas !== undefined && bad(schemas.summary)) ? EXIT.FAILED : EXIT.OK;
}

/** True on 'yes'; otherwise the exit code: no one to ask is a usage error, any other answer cancels. */
async function confirm(io: Io, question: string): Promise<true | number> {
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
  let settings: KafkaConnectionSettings = { clientId: DEFAULTS.kafkaClientId, tls: false };
  let stack: StackConfig | undefined;
  if (options.stack) {
    const loaded = loadStackOrExit(io, options.stack);
    if (!loaded.ok) return loaded.exit;
    stack = loaded.value;
    settings = stack.kafka.connection;
  }
  const connection = connectionOrExit(io, () => resolveConnection(settings, process.env, { bootstrap: options.bootstrap }));
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
