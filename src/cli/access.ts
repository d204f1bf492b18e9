/**
 * `meshform access <urn|id|principal> [paths..] --stack <name> [--live] [--bootstrap ...] [--json]`:
 * what a product may read and write and why (src/access/explain.ts); with --live, the cluster's
 * ACLs naming its principal and its client quota compared with the plan.
 */
import { compareText } from '../compare';
import { explainAccess, formatAccess, productNamed, type AccessView } from '../access/explain';
import { domainIdOf, isProductUrn, urnOf } from '../reading/urn';
import { didYouMean } from '../suggest';
import { QUOTA_KEYS } from '../vocabulary/mesh';
import { ANY_PRINCIPAL } from '../plan/principal';
import type { KafkaAclProps } from '../plan/types';
import type { StackConfig } from '../stack/types';
import { loadPlanOrExit } from './inputs';
import { EXIT, UsageError, type Io } from './io';
import type { JsonOptions, StackOptions } from './options';

export interface AccessOptions extends StackOptions, JsonOptions {
  live?: boolean;
  bootstrap?: string;
}

export interface LiveComparison {
  /** Planned bindings naming the principal (or User:*) that the cluster does not have. */
  missing: KafkaAclProps[];
  /** Bindings on the cluster naming the principal (or User:*) that the plan does not have. */
  extra: KafkaAclProps[];
  /** Each managed quota key whose value on the cluster differs from the plan: [planned, on the cluster]. */
  quota: Array<{ key: string; planned?: number; cluster?: number }>;
}

export async function runAccess(name: string, paths: string[], options: AccessOptions, io: Io): Promise<number> {
  const loaded = await loadPlanOrExit(io, paths, options.stack);
  if (!loaded.ok) return loaded.exit;
  const { mesh, plan, stack } = loaded.value;
  const product = productNamed(mesh, stack, name);
  if (!product) {
    const ids = mesh.products.map((p) => p.id);
    // A urn or a principal (`User:acme.x`) compared by its product id.
    const asId = isProductUrn(name) ? domainIdOf(name) : name.replace(/^[A-Za-z]+:/, '');
    throw new UsageError(`no product in the mesh is ${name}${didYouMean(asId, ids, urnOf)}`);
  }
  const view = explainAccess(mesh, plan, stack, product);
  let live: LiveComparison | undefined;
  if (options.live) {
    // Public topics are opened to every principal: those bindings give this product its reads too.
    const everyone = plan.resources.flatMap((r) => (r.kind === 'kafka:Acl' && r.properties.principal === ANY_PRINCIPAL ? [r.properties] : []));
    const result = await compareLive(view, everyone, stack, options, io);
    if (typeof result === 'number') return result;
    live = result;
  }
  if (options.json) {
    io.out(JSON.stringify({ ...view, ...(live && { live }) }, null, 2));
  } else {
    io.out([...formatAccess(view), ...(live ? liveLines(live) : [])].join('\n'));
  }
  return live && differs(live) ? EXIT.FAILED : EXIT.OK;
}

const differs = (live: LiveComparison) => live.missing.length + live.extra.length + live.quota.length > 0;

async function compareLive(view: AccessView, everyone: KafkaAclProps[], stack: StackConfig, options: AccessOptions, io: Io): Promise<LiveComparison | number> {
  // kafkajs only for --live.
  const kafka = require('../adapters/kafka') as typeof import('../adapters/kafka');
  const cli = require('./kafka') as typeof import('./kafka');
  const resolved = cli.connectionFor(io, { stack: stack.name, bootstrap: options.bootstrap });
  if (typeof resolved === 'number') return resolved;
  io.err(`meshform access: reading ${cli.describeTarget(resolved.connection)}`);
  let wire: import('../adapters/kafka').KafkaWire | undefined;
  try {
    wire = await kafka.KafkaWire.open(resolved.connection);
    const onCluster = (await wire.describeAllAcls()).filter((a) => a.principal === view.principal || a.principal === ANY_PRINCIPAL);
    const quotas = await kafka.readQuotas(wire, view.quota !== undefined);
    const key = (a: KafkaAclProps) => kafka.aclKey(a);
    const wanted = [...view.acls, ...everyone];
    const planned = new Set(wanted.map(key));
    const actual = new Set(onCluster.map(key));
    const byText = (a: KafkaAclProps, b: KafkaAclProps) => compareText(key(a), key(b));
    const now = quotas?.get(view.quota?.user ?? view.principal.slice(view.principal.indexOf(':') + 1)) ?? {};
    const quota: LiveComparison['quota'] = [];
    if (quotas) {
      for (const k of QUOTA_KEYS) {
        const want = view.quota?.quotas[k];
        const have = now[k];
        if (want === have || (want !== undefined && have !== undefined && Math.abs(want - have) < 1e-9 * Math.max(1, want))) continue;
        quota.push({ key: k, ...(want !== undefined && { planned: want }), ...(have !== undefined && { cluster: have }) });
      }
    } else {
      io.err('meshform access: client quotas could not be read (Kafka before 2.6, or no DESCRIBE_CONFIGS on the cluster): not compared');
    }
    return {
      missing: wanted.filter((a) => !actual.has(key(a))).sort(byText),
      extra: onCluster.filter((a) => !planned.has(key(a))).sort(byText),
      quota,
    };
  } catch (e) {
    return cli.wireFailure(io, 'access', e);
  } finally {
    await wire?.close();
  }
}

function liveLines(live: LiveComparison): string[] {
  if (!differs(live)) return ['live: the cluster has exactly the planned ACLs and quota for this principal'];
  const acl = (a: KafkaAclProps) => `${a.permission} ${a.operation} on ${a.resourceType} ${a.patternType} ${a.resourceName}${a.principal === ANY_PRINCIPAL ? ` for ${ANY_PRINCIPAL}` : ''}${a.host === '*' ? '' : ` from ${a.host}`}`;
  return [
    'live: the cluster differs from the plan:',
    ...live.missing.map((a) => `  missing on the cluster: ${acl(a)}`),
    ...live.extra.map((a) => `  on the cluster, not in the plan: ${acl(a)}`),
    ...live.quota.map((q) => `  quota ${q.key}: planned ${q.planned ?? 'none'}, on the cluster ${q.cluster ?? 'none'}`),
  ];
}
