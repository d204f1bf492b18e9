/**
 * `meshform verify [paths..] --stack <s> [--product <id|prefix>..] [--sample N] [--registry <url>]
 *   [--bootstrap host:port] [--json]`: the live topics against their specs (records by their
 * schemas, keyless records on compacted topics, freshness, consumers' lag), read as the stack's
 * Kafka principal without a consumer group: nothing is committed or changed. Exit 1 on any
 * violation, or when a partition's records could not be read (not verified is not a pass), so a
 * scheduled job fails when a contract is broken or cannot be checked.
 */
import { KafkaWire, resolveConnection } from '../adapters/kafka';
import { formatVerification } from '../adapters/kafka/reports/format';
import { readVerification } from '../adapters/kafka/reports/verify';
import { describeRegistry, RegistryClient, RegistryRequestError, RegistryUnavailable } from '../adapters/schema-registry';
import { matchesProduct } from '../plan/select';
import { connectionOrExit, describeTarget, wireFailure } from './kafka';
import { loadPlanOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions, StackOptions } from './options';
import { productSuggestion } from './plan';
import { registryOrExit } from './schemas';

export interface VerifyCommandOptions extends StackOptions, JsonOptions {
  product?: string[];
  sample: number;
  registry?: string;
  bootstrap?: string;
}

export async function runVerify(paths: string[], options: VerifyCommandOptions, io: Io): Promise<number> {
  const loaded = await loadPlanOrExit(io, paths, options.stack);
  if (!loaded.ok) return loaded.exit;
  const { mesh, stack, plan } = loaded.value;
  const patterns = options.product ?? [];
  for (const pattern of patterns) {
    if (!mesh.products.some((p) => matchesProduct(p.id, [pattern]))) {
      throw new UsageError(`--product ${pattern} matches no product in the mesh${productSuggestion(pattern, plan.products)}`);
    }
  }
  const registry = registryOrExit(io, stack, options.registry, 'verify');
  if (registry === 'error') return EXIT.USAGE;
  const connection = connectionOrExit(io, () => resolveConnection(stack.kafka.connection, { bootstrap: options.bootstrap }));
  if (!connection) return EXIT.USAGE;

  io.err(`meshform verify: ${describeTarget(connection)}, stack '${stack.name}'${registry ? `, registry ${describeRegistry(registry)}` : ', no schema registry (framed records are read with the spec\'s schemas)'}`);
  let wire: KafkaWire | undefined;
  try {
    wire = await KafkaWire.open(connection);
    const report = await readVerification(wire, mesh, {
      sample: options.sample,
      products: patterns.length ? new Set(mesh.products.filter((p) => matchesProduct(p.id, patterns)).map((p) => p.id)) : undefined,
      registry: registry ? { client: new RegistryClient(registry), url: registry.url } : undefined,
      onProgress: io.interactive && io.status ? (message) => io.status!(`meshform verify: ${message}`) : undefined,
    });
    if (io.interactive) io.status?.('');
    io.out(options.json ? JSON.stringify(report, null, 2) : formatVerification(report));
    return report.summary.violations > 0 || report.summary.unread > 0 ? EXIT.FAILED : EXIT.OK;
  } catch (e) {
    if (io.interactive) io.status?.('');
    if (e instanceof RegistryUnavailable || e instanceof RegistryRequestError) {
      io.err(`meshform verify: ${e.message}`);
      return EXIT.USAGE;
    }
    return wireFailure(io, 'verify', e);
  } finally {
    await wire?.close();
  }
}
