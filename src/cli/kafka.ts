/**
 * `meshform kafka plan|apply [paths..] --stack <name> [--bootstrap host:port] [--allow-delete]
 *   [--allow-delete-private] [--allow-breaking] [--registry <url>] [--json]` (with a schema registry
 *   configured, the product's schemas are checked first and registered after its topics) and
 *   `meshform kafka export --domain <urn> --bootstrap ... [--out file [--force]]`.
 * A thin command over the reconcile engine in src/adapters/kafka; loaded only when a kafka verb runs
 * (commands/kafka.ts), so other verbs never load kafkajs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import {
  describeConnection,
  ExportError,
  exportDomain,
  formatReport,
  KafkaConfigError,
  KafkaWire,
  KafkaWireError,
  OwnershipScope,
  reconcileKafka,
  resolveConnection,
  type KafkaConnection,
  type KafkaReport,
} from '../adapters/kafka';
import { formatSchemaReport, type SchemaReport } from '../adapters/schema-registry';
import { consumersByTopic } from '../plan';
import { describeFsError } from '../spec/files';
import { DEFAULTS } from '../stack/settings';
import type { KafkaConnectionSettings } from '../stack/types';
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
}

export interface ExportOptions {
  domain: string;
  bootstrap?: string;
  stack?: string;
  out?: string;
  force?: boolean;
}

/** `run(['plan', 'specs', '--stack', 'dev'], io)`: the kafka verbs as the command line has them (scripts, tests). */
export async function run(argv: string[], io: Io): Promise<number> {
  const { main } = require('./main') as typeof import('./main');
  return main(['kafka', ...argv], io);
}

export async function runReconcile(mode: 'plan' | 'apply', paths: string[], options: ReconcileOptions, io: Io): Promise<number> {
  const loaded = await loadPlanOrExit(io, paths, options.stack);
  if (!loaded.ok) return loaded.exit;
  const { plan, stack } = loaded.value;
  const registry = registryOrExit(io, stack, options.registry, `kafka ${mode}`);
  if (registry === 'error') return EXIT.USAGE;
  const allowDelete = Boolean(options.allowDelete) || stack.kafka.allowDelete;

  const connection = connectionOrExit(io, () => resolveConnection(stack.kafka.connection, process.env, { bootstrap: options.bootstrap }));
  if (!connection) return EXIT.USAGE;
  const scope = OwnershipScope.ofProducts(
    plan.products.map((p) => p.id),
    stack.kafka.principalTemplate,
  );
  const progress = io.interactive ? (message: string) => io.err(`meshform kafka ${mode}: ${message}`) : undefined;

  // Schemas are checked first: a product with a refused schema changes nothing, topics included.
  let schemas: SchemaReport | undefined;
  const subjects = plan.resources.filter((r) => r.kind === 'schema:Subject').length;
  if (registry) {
    try {
      schemas = await schemaPhase(io, registry, plan, stack, { mode: 'plan', allowDelete });
    } catch (e) {
      return unavailable(io, `kafka ${mode}`, e);
    }
  } else if (subjects > 0) {
    io.err(`meshform kafka ${mode}: no schema registry configured (--registry, MESHFORM_SCHEMA_REGISTRY_URL or meshform:schemaRegistryUrl): ${subjects} schema subject(s) not checked or registered`);
  }

  let report: KafkaReport;
  try {
    progress?.(`connecting to ${describeConnection(connection)}`);
    report = await reconcileKafka(connection, {
      resources: plan.resources,
      scope,
      mode,
      permissions: {
        allowDelete,
        allowDeletePrivate: Boolean(options.allowDeletePrivate) || stack.kafka.allowDeletePrivate,
        allowBreaking: Boolean(options.allowBreaking) || stack.kafka.allowBreaking,
      },
      consumers: consumersByTopic(plan),
      holdBack: new Map(Object.entries(schemas?.refusedProducts ?? {})),
      onProgress: progress,
    });
  } catch (e) {
    return wireFailure(io, `kafka ${mode}`, e);
  }

  if (registry && mode === 'apply') {
    const holdBack = new Map(Object.entries(schemas?.refusedProducts ?? {}));
    for (const r of report.resources) {
      if ((r.state === 'REFUSED' || r.state === 'FAILED') && !holdBack.has(r.product)) holdBack.set(r.product, `a Kafka change of ${r.product} was ${r.state.toLowerCase()}`);
    }
    try {
      schemas = await schemaPhase(io, registry, plan, stack, { mode: 'apply', allowDelete, holdBack });
    } catch (e) {
      return unavailable(io, `kafka ${mode}`, e);
    }
  }

  if (options.json) {
    io.out(JSON.stringify({ summary: report.summary, resources: report.resources, ...(schemas && { schemas: { summary: schemas.summary, resources: schemas.resources } }) }, null, 2));
  } else {
    io.out([...formatReport(report), ...(schemas ? formatSchemaReport(schemas) : [])].join('\n'));
  }
  const bad = (s: { failed: number; refused: number }) => s.failed > 0 || s.refused > 0;
  return bad(report.summary) || (schemas !== undefined && bad(schemas.summary)) ? EXIT.FAILED : EXIT.OK;
}

export async function runExport(values: ExportOptions, io: Io): Promise<number> {
  const resolved = connectionFor(io, values);
  if (typeof resolved === 'number') return resolved;
  const connection = resolved;

  let wire: KafkaWire | undefined;
  try {
    if (io.interactive) io.err(`meshform kafka export: reading ${describeConnection(connection)}`);
    wire = await KafkaWire.open(connection);
    const { document, notes } = await exportDomain(wire, values.domain, connection.brokers.join(','));
    for (const note of notes) io.err(`meshform kafka export: note: ${note}`);
    const text = stringify(document, { lineWidth: 0 });
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
 * The connection of a verb whose stack is optional: the stack's Kafka settings when one is named,
 * overridden by the environment and --bootstrap; or the exit code after a printed problem.
 */
export function connectionFor(io: Io, options: { stack?: string; bootstrap?: string }): KafkaConnection | number {
  let settings: KafkaConnectionSettings = { clientId: DEFAULTS.kafkaClientId, tls: false };
  if (options.stack) {
    const stack = loadStackOrExit(io, options.stack);
    if (!stack.ok) return stack.exit;
    settings = stack.value.kafka.connection;
  }
  return connectionOrExit(io, () => resolveConnection(settings, process.env, { bootstrap: options.bootstrap })) ?? EXIT.USAGE;
}

function connectionOrExit(io: Io, resolve: () => KafkaConnection): KafkaConnection | undefined {
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
