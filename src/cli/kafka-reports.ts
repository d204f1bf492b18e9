/**
 * `meshform kafka storage|consumption [paths..] [--stack <name>] [--bootstrap host:port] [--json]`:
 * live reports from a cluster, per product of the specs. Read-only: they never change the cluster.
 * The `--json` output is what `meshform catalog --storage/--consumption` shows.
 */
import { KafkaWire } from '../adapters/kafka';
import { readConsumption } from '../adapters/kafka/reports/consumption';
import { formatConsumption, formatStorage } from '../adapters/kafka/reports/format';
import { readStorage } from '../adapters/kafka/reports/storage';
import type { Mesh } from '../vocabulary/mesh';
import { connectionFor, describeTarget, wireFailure } from './kafka';
import { diagnosticCounts, loadMeshOrExit } from './inputs';
import { EXIT, type Io } from './io';
import type { JsonOptions } from './options';

export interface LiveReportOptions extends JsonOptions {
  stack?: string;
  bootstrap?: string;
}

const REPORTS = {
  storage: { read: readStorage, format: formatStorage },
  consumption: { read: readConsumption, format: formatConsumption },
} as const;

export async function runLiveReport(kind: keyof typeof REPORTS, paths: string[], options: LiveReportOptions, io: Io): Promise<number> {
  const resolved = connectionFor(io, options);
  if (typeof resolved === 'number') return resolved;
  const { connection } = resolved;
  const loaded = await loadMeshOrExit(io, paths);
  if (!loaded.ok) {
    io.err(diagnosticCounts(loaded.diagnostics));
    return loaded.exit;
  }
  const mesh: Mesh = loaded.value.mesh;
  let wire: KafkaWire | undefined;
  try {
    if (io.interactive) io.err(`meshform kafka ${kind}: reading ${describeTarget(connection)}`);
    wire = await KafkaWire.open(connection);
    const report = await REPORTS[kind].read(wire, mesh);
    io.out(options.json ? JSON.stringify(report, null, 2) : (REPORTS[kind].format as (r: typeof report) => string)(report));
    return EXIT.OK;
  } catch (e) {
    return wireFailure(io, `kafka ${kind}`, e);
  } finally {
    await wire?.close();
  }
}
