/**
 * `meshform kafka apply --plan <file> [--yes] [--stack <name>] [--bootstrap ...] [--registry <url>] [--json]`:
 * makes exactly the changes a saved plan holds (kafka-saved-plan.ts), or none. Before anything is
 * changed, the scope's part of the cluster is read again and must have the plan's fingerprint, the
 * cluster must be the one the plan was made for, and (with schemas) the registry must answer for the
 * plan's subjects as it did; otherwise the run stops with exit 2, naming what moved. On a terminal
 * the cluster's lease is taken only once the person has said yes, and the cluster is checked again
 * under it (with --yes, the lease is held from the first check).
 */
import { carryOut, ClusterLease, fingerprintState, formatReport, KafkaWire, movedSince, readState, resolveConnection, type KafkaReport } from '../adapters/kafka';
import { formatSchemaReport, type SchemaReport, type SubjectStatus } from '../adapters/schema-registry';
import { compareText } from '../compare';
import { loadStackOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import { applyLease, confirm, connectionOrExit, leaseExit, describeTarget, pendingCount, printReport, schemaHoldBack, subjectOf, wireFailure, type ReconcileOptions } from './kafka';
import { readSavedPlan, savedDeclared, savedScope, type SavedKafkaPlan } from './kafka-saved-plan';
import { registryOrExit, schemaPhase, unavailable } from './schemas';

/** Flags a saved plan carries itself: given again with --plan, they could only disagree with it. */
const PLAN_FLAGS: Array<[keyof ReconcileOptions, string]> = [
  ['product', '--product'],
  ['allowDelete', '--allow-delete'],
  ['allowDeletePrivate', '--allow-delete-private'],
  ['allowBreaking', '--allow-breaking'],
  ['allOrNothing', '--all-or-nothing'],
  ['strict', '--strict'],
];

export async function runApplySaved(paths: string[], options: ReconcileOptions, io: Io): Promise<number> {
  const file = options.plan as string;
  if (paths.length > 0) throw new UsageError(`--plan applies the changes saved in ${file}: give no spec paths (the specs were read when the plan was made)`);
  for (const [key, flag] of PLAN_FLAGS) {
    if (options[key] !== undefined && options[key] !== false) throw new UsageError(`${flag} was decided when the plan was made; make a new plan to change it`);
  }
  const read = readSavedPlan(file);
  if ('problem' in read) throw new UsageError(read.problem);
  const saved = read.plan;
  if (options.stack !== undefined && options.stack !== saved.stack) {
    throw new UsageError(`the plan in ${file} was made for stack '${saved.stack}', not '${options.stack}'`);
  }
  const stack = loadStackOrExit(io, saved.stack);
  if (!stack.ok) return stack.exit;
  const connection = connectionOrExit(io, () => resolveConnection(stack.value.kafka.connection, { bootstrap: options.bootstrap }));
  if (!connection) return EXIT.USAGE;
  io.err(`meshform kafka apply: ${describeTarget(connection)}, stack '${saved.stack}', plan ${file} made ${saved.createdAt}`);

  let registry;
  if (saved.schemas) {
    const resolved = registryOrExit(io, stack.value, options.registry, 'kafka apply');
    if (resolved === 'error') return EXIT.USAGE;
    if (resolved?.url !== saved.schemas.registry) {
      io.err(`meshform kafka apply: the plan checked its schemas with the registry at ${saved.schemas.registry}; configure that registry (--registry, MESHFORM_SCHEMA_REGISTRY_URL or meshform:schemaRegistryUrl)${resolved ? `, not ${resolved.url}` : ''}; nothing was changed`);
      return EXIT.USAGE;
    }
    registry = resolved;
  }

  const scope = savedScope(saved);
  const declared = savedDeclared(saved);
  const progress = io.interactive ? (message: string) => io.err(`meshform kafka apply: ${message}`) : undefined;
  let wire: KafkaWire | undefined;
  let lease: ClusterLease | undefined;
  const takeLease = (open: KafkaWire) => ClusterLease.acquire(open, applyLease(io, options, `meshform kafka apply --plan ${file} (stack ${saved.stack})`));
  /** The exit code when the cluster is another one or its part the plan covers moved since `since`; undefined when it is as planned. */
  const moved = async (open: KafkaWire, since: string): Promise<number | undefined> => {
    progress?.('reading cluster state');
    const state = await readState(open, scope, declared);
    if (saved.cluster.id && open.clusterId && saved.cluster.id !== open.clusterId) {
      io.err(`meshform kafka apply: the plan was made for the cluster with id ${saved.cluster.id} (at ${saved.cluster.bootstrap.join(',')}); this one has id ${open.clusterId}; nothing was changed`);
      return EXIT.USAGE;
    }
    const parts = movedSince(saved.state, fingerprintState(state, scope));
    if (parts.length === 0) return undefined;
    io.err(`meshform kafka apply: the cluster moved since ${since}: ${parts.join(', ')}; nothing was changed: make a new plan (meshform kafka plan --out ${file})`);
    return EXIT.USAGE;
  };
  try {
    wire = await KafkaWire.open(connection);
    // With --yes, under the cluster's lease from the check to the last write: no other run moves the
    // cluster in between. On a terminal the lease is taken once the person has answered (a question
    // may stay open for hours; other runs must not wait for it), and the check is then made again.
    if (options.yes) lease = await takeLease(wire);
    const stale = await moved(wire, `the plan was made (${saved.createdAt})`);
    if (stale !== undefined) return stale;

    let schemas: SchemaReport | undefined;
    if (saved.schemas && registry) {
      const target = { resources: saved.schemas.subjects, scope };
      try {
        schemas = await schemaPhase(io, registry, target, { mode: 'plan', allowDelete: saved.schemas.allowDelete });
      } catch (e) {
        return unavailable(io, 'kafka apply', e);
      }
      const differs = schemaDifferences(saved.schemas.report.resources, schemas.resources);
      if (differs.length > 0) {
        io.err(`meshform kafka apply: the schema registry moved since the plan was made (${saved.createdAt}): ${differs.join('; ')}; nothing was changed: make a new plan (meshform kafka plan --out ${file})`);
        return EXIT.USAGE;
      }
    }

    const planned = savedReport(saved);
    const pending = pendingCount(planned.summary) + (schemas ? pendingCount(schemas.summary) : 0);
    if (pending === 0) return printReport(io, planned, schemas, options);
    if (!options.yes) {
      (options.json ? io.err : io.out)([...formatReport(planned), ...(schemas ? formatSchemaReport(schemas) : [])].join('\n'));
      const confirmed = await confirm(io, `Apply the ${pending} change(s) of ${file} to Kafka at ${connection.brokers.join(',')}${schemas ? ' and the schema registry' : ''}? Only 'yes' applies: `);
      if (confirmed !== true) return confirmed;
      // A connection left idle through the question may have been closed by the broker: a new one.
      await wire.close();
      wire = await KafkaWire.open(connection);
      lease = await takeLease(wire);
      const meanwhile = await moved(wire, 'the plan was shown');
      if (meanwhile !== undefined) return meanwhile;
    }

    const report = await carryOut(wire, saved.kafka.changes, { resources: [], scope, declared, onProgress: progress, held: lease });
    // The plan keeps only what changes: its unchanged resources are still unchanged (the fingerprint says so).
    report.summary.unchanged += saved.kafka.summary.unchanged;
    if (saved.schemas && registry) {
      try {
        schemas = await schemaPhase(io, registry, { resources: saved.schemas.subjects, scope }, { mode: 'apply', allowDelete: saved.schemas.allowDelete, holdBack: schemaHoldBack(report, schemas) });
      } catch (e) {
        return unavailable(io, 'kafka apply', e);
      }
    }
    return printReport(io, report, schemas, options);
  } catch (e) {
    return leaseExit(io, e) ?? wireFailure(io, 'kafka apply', e);
  } finally {
    await lease?.release().catch(() => undefined);
    await wire?.close();
  }
}

/** The saved changes as the plan report `kafka plan` printed. */
function savedReport(saved: SavedKafkaPlan): KafkaReport {
  return { mode: 'plan', summary: { ...saved.kafka.summary }, resources: saved.kafka.resources };
}

/** Subjects whose planned change is not what the plan saved, in words. */
function schemaDifferences(then: readonly SubjectStatus[], now: readonly SubjectStatus[]): string[] {
  const key = (r: SubjectStatus) => JSON.stringify([r.state, r.changes, r.reason ?? '']);
  const before = new Map(then.filter((r) => r.state !== 'UNCHANGED').map((r) => [r.subject, r]));
  const after = new Map(now.filter((r) => r.state !== 'UNCHANGED').map((r) => [r.subject, r]));
  const differs: string[] = [];
  for (const subject of [...new Set([...before.keys(), ...after.keys()])].sort(compareText)) {
    const a = before.get(subject);
    const b = after.get(subject);
    if (a && b && key(a) === key(b)) continue;
    const describe = (r: SubjectStatus | undefined) => (r ? `${r.state}${r.changes.length ? ` (${r.changes.join(', ')})` : ''}` : 'UNCHANGED');
    differs.push(`${subjectOf((a ?? b) as SubjectStatus)}: planned ${describe(a)}, now ${describe(b)}`);
  }
  return differs;
}
