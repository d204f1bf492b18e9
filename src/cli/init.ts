/**
 * `meshform init <urn> [--dir <folder>] [--owner <member>] [--force]`: a new product's spec,
 * minimal, valid and commented, checked together with the specs already in the folder. When a
 * mesh file (`meshform.yaml`) applies to the folder, owners stay there: the product is added to
 * its `owners:` unless a prefix there already covers it, and the spec carries none.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import { loadMesh, searchStop } from '../model';
import { CODES } from '../vocabulary/codes';
import { describeFsError } from '../reading/files';
import { MeshFiles } from '../reading/mesh-file';
import { createLoader, displayPath } from '../reading/read';
import { ownerMember } from '../reading/extension';
import { domainIdOf, isProductUrn, reservedSegment } from '../reading/urn';
import { printDiagnostics } from './inputs';
import { EXIT, UsageError, type Io } from './io';

export interface InitOptions {
  dir: string;
  owner?: string;
  force?: boolean;
}

/** A clearly fake owner that still validates; the comment above it says to replace it. */
const PLACEHOLDER_OWNER = 'user:replace-me@example.com';

export async function runInit(urn: string, options: InitOptions, io: Io): Promise<number> {
  if (!isProductUrn(urn)) throw new UsageError(`"${urn}" is not a product URN: urn:<org>:<domain>:<product>, lowercase, e.g. urn:acme:retail:orders`);
  const reserved = reservedSegment(urn);
  if (reserved) throw new UsageError(`"${urn}" has the segment "${reserved}": segments starting with "_" are reserved`);
  const owner = options.owner ?? PLACEHOLDER_OWNER;
  const member = ownerMember(owner);
  if (!member) throw new UsageError(`--owner ${owner} is not an email or user:/group:/serviceAccount:<email> or domain:<domain>`);
  const id = domainIdOf(urn);
  const file = path.join(options.dir, specFileName(id));

  // The id must be new in the folder's mesh (a second spec with it would be MF-ID-DUPLICATE).
  if (fs.existsSync(options.dir)) {
    const existing = await loadMesh([options.dir]);
    const clash = existing.built.products.some((p) => p.id === id) || existing.diagnostics.some((d) => d.code === CODES.idDuplicate && d.message.includes(urn));
    if (clash && !(options.force && fs.existsSync(file))) {
      io.err(`meshform init: ${id} is already a product in ${options.dir}; pick another id`);
      return EXIT.FAILED;
    }
  }
  // With a mesh file, owners live there (an entry per product or prefix): the spec needs none.
  // It is the one `meshform validate <dir>` will apply to the new spec.
  const cwd = process.cwd();
  const spec = { path: path.resolve(cwd, file), root: path.resolve(cwd, options.dir) };
  const meshFile = new MeshFiles(createLoader(cwd)).forSpec(spec.path, searchStop(spec, cwd))?.path;
  try {
    fs.mkdirSync(options.dir, { recursive: true });
    const owners = meshFile ? { meshFile: displayPath(process.cwd(), meshFile) } : { owner: member };
    fs.writeFileSync(file, specTemplate(urn, owners), { flag: options.force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? `${file} already exists; pass --force to overwrite it` : `cannot write ${file}: ${describeFsError(e)}`;
    io.err(`meshform init: ${why}`);
    return EXIT.USAGE;
  }
  io.err(`meshform init: wrote ${file}`);

  if (meshFile) io.err(`meshform init: ${addOwnersEntry(meshFile, id, member)}`);

  // What was written must validate with the rest of the folder, or the user hears it now.
  const check = await loadMesh([options.dir]);
  printDiagnostics(io, check.diagnostics);
  if (check.diagnostics.some((d) => d.severity === 'error')) return EXIT.FAILED;
  io.err(`next: edit ${file} (owners, topics), then: meshform validate ${options.dir} && meshform plan ${options.dir} --stack <name>`);
  return EXIT.OK;
}

/** `urn:acme:retail:orders` -> `retail-orders.yaml` (the organisation segment is the same for every spec). */
export function specFileName(id: string): string {
  const segments = id.split('.');
  return `${(segments.length > 2 ? segments.slice(1) : segments.slice(-1)).join('-')}.yaml`;
}

function titleOf(id: string): string {
  const last = id.slice(id.lastIndexOf('.') + 1).replace(/[-_]+/g, ' ');
  return last.charAt(0).toUpperCase() + last.slice(1);
}

/**
 * The spec: valid as written, every part a new user has to touch explained where it is. Owners are
 * written in it, or, under a mesh file, left to that file (`meshFile` names it).
 */
export function specTemplate(urn: string, owners: { owner: string } | { meshFile: string }): string {
  const id = domainIdOf(urn);
  return `# A data product: one AsyncAPI 3.0 document in the product's own repository.
# meshform validate checks it; meshform plan --stack <name> shows what it provisions.
asyncapi: 3.0.0
# The product: urn:<org>:<domain>:<product>. Its Kafka principal, topic prefix and service
# account derive from it (here ${id}).
id: ${urn}
info:
  title: ${titleOf(id)}
  version: 0.1.0
  description: What this product offers, and to whom.
${'owner' in owners ? meshformBlock(owners.owner) : meshFileNote(owners.meshFile)}channels:
  example:
    # _public.<name>: every product may read it; _protected.<name>: the products granted in tags;
    # _private.<name>: this product only. The Kafka topic is ${id}._public.example.
    address: _public.example
    # tags: [{name: 'grant-access:urn:acme:finance:billing'}]   # on a _protected topic
    messages:
      example:
        payload:
          type: object
          properties:
            id: {type: string}
    bindings:
      kafka:
        partitions: 3               # scaled by the stack's partitionFactor
        replicas: 3                 # capped by the stack's replicasCap
        topicConfiguration:
          retention.ms: 604800000   # 7 days
operations:
  sendExample:
    action: send                    # this product produces to the topic
    channel: {$ref: '#/channels/example'}
# To consume another product's topic, add a channel with its full name and a receive operation:
#   channels:  {orders: {address: acme.retail.orders._public.order_placed}}
#   operations: {readOrders: {action: receive, channel: {$ref: '#/channels/orders'}}}
`;
}

function meshformBlock(owner: string): string {
  const note = owner === PLACEHOLDER_OWNER ? '  # replace: who answers for this product' : '';
  return `x-meshform:
  # IAM members: user:, group:, serviceAccount: or domain:. They may impersonate the product's service account.
  owners: [${owner}]${note}
  # domainType: source-aligned      # or aggregate, consumer-aligned
  # storage: {bigquery: {layers: [raw, cleaned, curated], location: EU}}
`;
}

function meshFileNote(meshFile: string): string {
  return `# Owners and defaults come from ${meshFile}; keys set here win, e.g.
# x-meshform: {owners: [group:team@example.com], domainType: aggregate}
`;
}

/**
 * Adds `<id>: [<owner>]` under `owners:` in the mesh file unless an entry already covers the
 * product (its id or a prefix at a segment boundary). The line is inserted into the text as it is,
 * so the rest of the file keeps its comments and layout byte for byte. Returns what it did.
 */
function addOwnersEntry(meshFile: string, id: string, owner: string): string {
  const shown = displayPath(process.cwd(), meshFile);
  const text = fs.readFileSync(meshFile, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || (doc.contents !== null && !isMap(doc.contents))) {
    return `${shown} is not a YAML map; add ${id} to its owners by hand`;
  }
  const owners = doc.get('owners', true);
  const emptySection = isScalar(owners) && owners.value === null;
  if (owners !== undefined && !emptySection && !(isMap(owners) && !owners.flow)) return `owners: in ${shown} is not a block map; add ${id} by hand`;
  const keys = isMap(owners) ? owners.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key)) : [];
  const covering = keys.find((prefix) => id === prefix || id.startsWith(`${prefix}.`));
  if (covering) return `${shown}: owners of ${covering} cover ${id}; left as it is`;

  const entry = `${id}: [${owner}]${owner === PLACEHOLDER_OWNER ? '  # replace: who answers for this product' : ''}`;
  let updated: string;
  const items = isMap(owners) ? owners.items : [];
  const last = items[items.length - 1];
  const first = items[0]?.key;
  if (last && isScalar(last.key) && last.key.range && isScalar(first) && first.range) {
    // After the line of the last entry, indented as the first one.
    const firstStart = first.range[0];
    const indent = firstStart - (text.lastIndexOf('\n', firstStart - 1) + 1);
    const lastEnd = (last.value as { range?: [number, number, number] } | null)?.range?.[1] ?? last.key.range[1];
    const eol = text.indexOf('\n', lastEnd);
    const at = eol < 0 ? text.length : eol;
    updated = `${text.slice(0, at)}\n${' '.repeat(indent)}${entry}${text.slice(at)}`;
  } else if (emptySection) {
    updated = text.replace(/^owners:[ \t]*(#.*)?$/m, (line) => `${line}\n  ${entry}`);
  } else {
    updated = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}owners:\n  ${entry}\n`;
  }
  fs.writeFileSync(meshFile, updated);
  return `added ${id} to the owners in ${shown}`;
}
