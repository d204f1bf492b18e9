/**
 * A recording stand-in for a provider plugin the Go module proxy cannot build (`gcp`: its module
 * replaces the upstream provider with a source tree the module zip lacks; `kubernetes`: generated,
 * gitignored files), written with `@pulumi/pulumi/provider` and attached to the real engine with
 * `PULUMI_DEBUG_PROVIDERS=<package>:<port>`.
 *
 * It accepts what it is given, computes the few outputs the real provider computes and meshform
 * reads (a service account's email, name and member), replaces where the real provider forces a
 * new resource (dataset location, account id, ...), and appends one JSON line per call to the
 * record file: `{op, type, urn, inputs}` (op: check, diff, create, read, update, delete).
 * It checks nothing about GCP or Kubernetes: what it proves is what the engine asked for.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { parseArgs } from 'node:util';
import { PeerError } from '../peer';

export type RecordedOp = 'check' | 'diff' | 'create' | 'read' | 'update' | 'delete';

export interface RecordedCall {
  op: RecordedOp;
  type: string;
  urn: string;
  inputs: Record<string, unknown>;
}

type Pkg = 'gcp' | 'kubernetes';

/** Inputs whose change makes the real provider replace the resource (ForceNew), by type. */
const REPLACE_ON: Record<string, string[]> = {
  'gcp:bigquery/dataset:Dataset': ['project', 'datasetId', 'location'],
  'gcp:serviceaccount/account:Account': ['project', 'accountId'],
  'gcp:bigquery/datasetIamMember:DatasetIamMember': ['project', 'datasetId', 'role', 'member', 'condition'],
  'gcp:serviceaccount/iAMMember:IAMMember': ['serviceAccountId', 'role', 'member', 'condition'],
};

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` -> type. */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split('::')[2] ?? '';
  return qualified.split('$').pop() ?? qualified;
}

/** Plain JSON for the record: values not known yet (preview) become "<unknown>". */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('__pulumiOutput' in v || typeof (v as { apply?: unknown }).apply === 'function') return '<unknown>';
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  if (value === '04da6b54-80e4-46f7-96ec-b56ff0331ba9') return '<unknown>';
  return value;
}

/**
 * What the real kubernetes provider (pulumi-kubernetes v4, server-side apply, its default) keeps
 * as a resource's outputs: its "checkpoint object", the live object as the API server answers the
 * apply (the inputs with the server's metadata: uid, resourceVersion, generation,
 * creationTimestamp and managedFields, one Apply entry of the provider's field manager listing
 * every field it set), plus `__inputs` (the inputs again), `__initialApiVersion` and
 * `__fieldManager` (provider/pkg/provider/provider.go, checkpointObject). Not modelled: what a
 * controller adds later (Crossplane's status conditions, composition references and its own
 * managedFields entries appear in the live object, so in state, after a refresh).
 */
function kubernetesCheckpoint(inputs: Record<string, unknown>, previous?: Record<string, unknown>): Record<string, unknown> {
  const before = (previous?.metadata ?? {}) as Record<string, unknown>;
  const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
  const name = String(metadata.name ?? '');
  const manager = String(previous?.__fieldManager ?? `pulumi-kubernetes-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`);
  const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const { managedFields: _m, ...given } = metadata;
  const live = {
    ...inputs,
    metadata: {
      ...given,
      creationTimestamp: before.creationTimestamp ?? time,
      generation: Number(before.generation ?? 0) + 1,
      managedFields: [{ apiVersion: inputs.apiVersion, fieldsType: 'FieldsV1', fieldsV1: fieldSet(withoutIdentity(inputs)), manager, operation: 'Apply', time }],
      resourceVersion: String(100000 + Math.floor(Math.random() * 900000)),
      uid: before.uid ?? randomUUID(),
    },
  };
  return { ...live, __inputs: { ...inputs }, __initialApiVersion: String(previous?.__initialApiVersion ?? inputs.apiVersion), __fieldManager: manager };
}

/** The applied object without what identifies it (apiVersion, kind, name, namespace): managedFields do not list those. */
function withoutIdentity(inputs: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = inputs;
  const { name: _n, namespace: _ns, ...meta } = (metadata ?? {}) as Record<string, unknown>;
  return Object.keys(meta).length ? { metadata: meta, ...rest } : rest;
}

/**
 * A FieldsV1 set as the API server writes it: `f:<field>` per object field, `k:{"<key>":...}` per
 * item of a list of objects keyed by `name` or `layer` (a list-map: `.` marks the item itself),
 * other lists atomic (the field only).
 */
function fieldSet(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (Array.isArray(child) && child.length > 0 && child.every((item) => item && typeof item === 'object' && ('name' in item || 'layer' in item))) {
      out[`f:${key}`] = Object.fromEntries(
        child.map((item: Record<string, unknown>) => {
          const k = 'name' in item ? 'name' : 'layer';
          return [`k:${JSON.stringify({ [k]: item[k] })}`, { '.': {}, ...fieldSet(item) }];
        }),
      );
    } else out[`f:${key}`] = fieldSet(child);
  }
  return out;
}

function computed(type: string, inputs: Record<string, unknown>, previous?: Record<string, unknown>): { id: string; outs: Record<string, unknown> } {
  if (type === 'gcp:serviceaccount/account:Account') {
    const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
    const name = `projects/${inputs.project}/serviceAccounts/${email}`;
    return { id: name, outs: { ...inputs, email, name, member: `serviceAccount:${email}`, uniqueId: String(100000000000 + (email.length * 7919)) } };
  }
  if (type === 'gcp:bigquery/dataset:Dataset') {
    return { id: `projects/${inputs.project}/datasets/${inputs.datasetId}`, outs: { ...inputs } };
  }
  if (type.startsWith('kubernetes:')) {
    const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
    return { id: metadata.namespace ? `${metadata.namespace}/${metadata.name}` : String(metadata.name), outs: kubernetesCheckpoint(inputs, previous) };
  }
  const key = ['project', 'datasetId', 'serviceAccountId', 'role', 'member'].map((k) => inputs[k]).filter((v) => v !== undefined);
  return { id: key.join('/') || 'id', outs: { ...inputs } };
}

/** The provider object, recording into `record` (a JSONL file). */
export function recordingProvider(pkg: Pkg, record: string, version: string) {
  const log = (op: RecordedOp, urn: string, inputs: Record<string, unknown>) =>
    appendFileSync(record, `${JSON.stringify({ op, type: typeOfUrn(urn), urn, inputs: plain(inputs) as Record<string, unknown> } satisfies RecordedCall)}\n`);
  return {
    version,
    async check(urn: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
      log('check', urn, news);
      return { inputs: news };
    },
    async diff(_id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      log('diff', urn, news);
      const type = typeOfUrn(urn);
      // The kubernetes provider diffs the inputs it checkpointed (`__inputs`), not the live object.
      const before = (pkg === 'kubernetes' && olds.__inputs ? olds.__inputs : olds) as Record<string, unknown>;
      const changed = Object.keys(news).filter((k) => JSON.stringify(plain(before[k])) !== JSON.stringify(plain(news[k])));
      const replaces = changed.filter((k) => (REPLACE_ON[type] ?? (pkg === 'kubernetes' ? ['apiVersion', 'kind'] : [])).includes(k));
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
    },
    async create(urn: string, inputs: Record<string, unknown>) {
      log('create', urn, inputs);
      return computed(typeOfUrn(urn), inputs);
    },
    async read(id: string, urn: string, props: Record<string, unknown>) {
      log('read', urn, props ?? {});
      return { id, props };
    },
    async update(_id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      log('update', urn, news);
      return { outs: computed(typeOfUrn(urn), news, olds).outs };
    },
    async delete(_id: string, urn: string, props: Record<string, unknown>) {
      log('delete', urn, props);
    },
  };
}

const USAGE = (pkg: Pkg) => `usage: npm run -s peers -- ${pkg}-double --record <file.jsonl> [--port <p>] [--version <v>]
Serves a recording stand-in for Pulumi's ${pkg} provider until stopped (SIGINT/SIGTERM). Prints
"listening on HOST:PORT"; run the engine with PULUMI_DEBUG_PROVIDERS=${pkg}:<port>. Each call is one JSON
line {op, type, urn, inputs} in the record file (truncated at start). --port 0 (default): a free port.`;

/** Foreground command: `<pkg>-double --port <p> --record <file>`. */
export async function serveRecordingProvider(pkg: Pkg, argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, record: { type: 'string' }, version: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    throw new PeerError(`${(e as Error).message}\n${USAGE(pkg)}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE(pkg)}\n`);
    return 0;
  }
  if (!values.record) throw new PeerError(`--record <file.jsonl> is required\n${USAGE(pkg)}`);
  const port = Number(values.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PeerError(`--port must be 0..65535, got ${values.port}`);
  writeFileSync(values.record, '');

  // `main` serves on a free port and prints it with console.log: take that line, print ours.
  const { main } = await import('@pulumi/pulumi/provider');
  const printed = console.log;
  const inner = await new Promise<number>((resolve, reject) => {
    console.log = (line: unknown) => resolve(Number(String(line).trim()));
    main(recordingProvider(pkg, values.record!, values.version ?? defaultVersion(pkg)), []).catch(reject);
  });
  console.log = printed;
  const front = port === 0 ? undefined : await forward(port, inner);
  process.stdout.write(`listening on 127.0.0.1:${front ? port : inner}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  front?.close();
  // The provider's gRPC server would keep the process alive: a stopped double exits.
  setImmediate(() => process.exit(0));
  return 0;
}

/** A fixed port asked for: forward it to the port `main` chose. */
function forward(port: number, to: number): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(to, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new PeerError(`cannot listen on 127.0.0.1:${port}: ${e.message}`)));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function defaultVersion(pkg: Pkg): string {
  const name = pkg === 'gcp' ? '@pulumi/gcp' : '@pulumi/kubernetes';
  return (require(`${name}/package.json`) as { version: string }).version;
}
