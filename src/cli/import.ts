/**
 * `meshform import <julieops|kafka-gitops|terraform> <file..> --out <dir> [--owners <map.yaml>] [--json]`:
 * another tool's description of an estate as a mesh: one spec per product, `meshform.yaml` owners.
 * A folder that already holds a mesh is added to (the same principal is the same product). The
 * result is validated in a scratch copy before anything is written; what could not be mapped is
 * listed (exit 1), exit 0 when everything mapped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh } from '../model';
import { describeFsError } from '../reading/files';
import { CODES } from '../vocabulary/codes';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../vocabulary/diagnostics';
import { estateOfCluster } from '../importing/cluster';
import { draftMesh } from '../importing/draft';
import { type Estate, type EstateTool, type Unmapped } from '../importing/estate';
import { readExisting } from '../importing/existing';
import { InputError } from '../importing/input';
import { readJulieOps } from '../importing/julieops';
import { readKafkaGitops } from '../importing/kafka-gitops';
import { emptyOwnerMap, readOwnerMap, type OwnerMap } from '../importing/owner-map';
import { addRegistrySchemas } from '../importing/registry';
import { RegistryClient, RegistryRequestError, RegistryUnavailable, describeRegistry, resolveRegistry, type RegistryConnection } from '../adapters/schema-registry/client';
import { registryFromEnv } from '../stack/settings';
import type { SchemaRegistrySettings } from '../stack/types';
import { readTerraform } from '../importing/terraform';
import { MESH_FILE, PLACEHOLDER_OWNER, renderDraft, type ImportFile, type ImportSizing } from '../importing/write';
import { loadStackOrExit, printDiagnostics } from './inputs';
import { EXIT, UsageError, type Io } from './io';

export interface ImportOptions {
  out: string;
  /** Write sizes as the spec values this stack turns into the estate's. */
  stack?: string;
  owners?: string;
  json?: boolean;
  /** The estate's schema registry: subjects of imported topics become the specs' schemas. */
  registry?: string;
}

const READERS: Record<Exclude<EstateTool, 'cluster'>, (files: readonly string[], cwd: string) => { estate: Estate; diagnostics: Diagnostic[] }> = {
  julieops: readJulieOps,
  'kafka-gitops': readKafkaGitops,
  terraform: readTerraform,
};

export interface ImportClusterOptions extends ImportOptions {
  bootstrap?: string;
}

export async function runImport(tool: Exclude<EstateTool, 'cluster'>, files: string[], options: ImportOptions, io: Io): Promise<number> {
  return importEstate(tool, files, options, io, (cwd) => {
    try {
      return Promise.resolve(READERS[tool](files, cwd));
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
  });
}

/** `meshform import cluster`: the live cluster (the stack's, or --bootstrap) as the estate. */
export async function runImportCluster(options: ImportClusterOptions, io: Io): Promise<number> {
  const kafka = require('./kafka') as typeof import('./kafka');
  const resolved = kafka.connectionFor(io, options);
  if (typeof resolved === 'number') return resolved;
  const { connection } = resolved;
  const source = connection.brokers.join(',');
  return importEstate('cluster', [source], options, io, async () => {
    const { KafkaWire } = require('../adapters/kafka/client/wire') as typeof import('../adapters/kafka/client/wire');
    const { readCluster } = require('../adapters/kafka/engine/state') as typeof import('../adapters/kafka/engine/state');
    io.err(`meshform import cluster: reading ${kafka.describeTarget(connection)}`);
    let wire: import('../adapters/kafka/client/wire').KafkaWire | undefined;
    try {
      wire = await KafkaWire.open(connection);
      return { estate: estateOfCluster(await readCluster(wire)), diagnostics: [] };
    } catch (e) {
      return kafka.wireFailure(io, 'import cluster', e);
    } finally {
      await wire?.close();
    }
  });
}

type ReadEstate = (cwd: string) => Promise<{ estate: Estate; diagnostics: Diagnostic[] } | number>;

async function importEstate(tool: EstateTool, sources: string[], options: ImportOptions, io: Io, readEstate: ReadEstate): Promise<number> {
  const name = `meshform import ${tool}`;
  const cwd = process.cwd();
  if (fs.existsSync(options.out) && !fs.statSync(options.out).isDirectory()) throw new UsageError(`--out ${options.out} is a file; it takes a folder`);
  let sizing: ImportSizing | undefined;
  let registrySettings: SchemaRegistrySettings | undefined;
  if (options.stack) {
    const stack = loadStackOrExit(io, options.stack);
    if (!stack.ok) return stack.exit;
    const { partitionFactor, replicasCap, defaultReplicas } = stack.value.kafka;
    sizing = { stack: options.stack, partitionFactor, ...(replicasCap !== undefined && { replicasCap }), defaultReplicas };
    registrySettings = stack.value.schemas.registry;
  } else {
    const fromEnv = registryFromEnv();
    if (hasErrors(fromEnv.diagnostics)) {
      printDiagnostics(io, fromEnv.diagnostics);
      return EXIT.USAGE;
    }
    registrySettings = fromEnv.registry;
  }
  let registry: RegistryConnection | undefined;
  try {
    registry = resolveRegistry(registrySettings, { url: options.registry });
  } catch (e) {
    if (!(e instanceof RegistryUnavailable)) throw e;
    io.err(`${name}: ${e.message}`);
    return EXIT.USAGE;
  }
  let map = emptyOwnerMap();
  const diagnostics: Diagnostic[] = [];
  if (options.owners) {
    try {
      const owners = readOwnerMap(options.owners, cwd);
      map = owners.map;
      diagnostics.push(...owners.diagnostics);
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
  }
  const read = await readEstate(cwd);
  if (typeof read === 'number') return read;
  diagnostics.push(...read.diagnostics);
  if (hasErrors(diagnostics)) {
    printDiagnostics(io, diagnostics);
    io.err(`${name}: nothing written (${diagnostics.filter((d) => d.severity === 'error').length} error(s) in the input)`);
    return EXIT.FAILED;
  }
  const estate = read.estate;
  const schemaFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-import-schemas-'));
  try {
    if (registry) {
      io.err(`${name}: reading the schemas of ${estate.topics.length} topic(s) from ${describeRegistry(registry)}`);
      try {
        const found = await addRegistrySchemas(estate, new RegistryClient(registry), schemaFolder);
        io.err(`${name}: ${found.subjects.length} schema subject(s) found for the estate's topics`);
      } catch (e) {
        if (!(e instanceof RegistryUnavailable) && !(e instanceof RegistryRequestError)) throw e;
        io.err(`${name}: cannot read the schema registry: ${e.message}; nothing written`);
        return EXIT.USAGE;
      }
    } else if (estate.topics.length) {
      io.err(`${name}: no schema registry given (--registry, MESHFORM_SCHEMA_REGISTRY_URL or the stack's schemaRegistryUrl): the estate's schema subjects are not read; a plan with a registry would offer to delete them`);
    }
    return await writeEstate(name, tool, sources, options, io, cwd, estate, map, sizing);
  } finally {
    fs.rmSync(schemaFolder, { recursive: true, force: true });
  }
}

async function writeEstate(
  name: string,
  tool: EstateTool,
  sources: string[],
  options: ImportOptions,
  io: Io,
  cwd: string,
  estate: Estate,
  map: OwnerMap,
  sizing: ImportSizing | undefined,
): Promise<number> {
  const existing = readExisting(options.out);
  const draft = draftMesh(estate, map, existing);
  const rendered = renderDraft(draft, { out: options.out, tool, sources, map, existing, sizing });
  const unmapped = [...draft.unmapped, ...rendered.unmapped];

  if (draft.products.length === 0) {
    for (const u of unmapped) io.err(unmappedLine(u, cwd));
    if (options.json) io.out(JSON.stringify({ tool, out: options.out, written: false, files: [], products: [], unmapped: unmapped.map(unmappedJson) }, null, 2));
    io.err(`${name}: no topic or principal to import; nothing written`);
    return unmapped.length ? EXIT.FAILED : EXIT.OK;
  }
  // The folder as it would be, checked before anything is written.
  const problems = await checkInScratch(options.out, rendered.files, rendered.copies);
  if (problems.length) {
    for (const d of problems) io.err(formatDiagnostic(d));
    io.err(`${name}: nothing written: the imported mesh would not validate (${CODES.importConflict}); settle it in an owner map (--owners)`);
    if (options.json) io.out(JSON.stringify({ tool, out: options.out, written: false, problems: problems.map((d) => formatDiagnostic(d)), unmapped: unmapped.map(unmappedJson) }, null, 2));
    return EXIT.FAILED;
  }
  try {
    for (const f of rendered.files) {
      fs.mkdirSync(path.dirname(f.file), { recursive: true });
      fs.writeFileSync(f.file, f.text);
    }
    for (const c of rendered.copies) {
      fs.mkdirSync(path.dirname(c.to), { recursive: true });
      fs.copyFileSync(c.from, c.to);
    }
  } catch (e) {
    io.err(`${name}: cannot write to ${options.out}: ${describeFsError(e)}`);
    return EXIT.USAGE;
  }

  const specs = rendered.files.filter((f) => f.products.length);
  const adopted = draft.products.reduce((n, p) => n + p.topics.filter((t) => !t.convention).length, 0);
  if (options.json) {
    io.out(
      JSON.stringify(
        {
          tool,
          out: options.out,
          written: true,
          files: rendered.files.map((f) => ({ file: path.relative(cwd, f.file), created: f.created, products: f.products })),
          products: draft.products.map((p) => ({
            id: p.id,
            topics: p.topics.map((t) => ({ name: t.name, visibility: t.visibility, ...(t.grants.length && { grants: t.grants }) })),
            consumes: p.consumes,
            principals: p.principals.map((x) => x.principal),
            groups: p.groups,
            transactionalIds: p.transactionalIds,
          })),
          unmapped: unmapped.map(unmappedJson),
        },
        null,
        2,
      ),
    );
  }
  for (const u of unmapped) io.err(unmappedLine(u, cwd));
  const created = specs.filter((f) => f.created).length;
  io.err(
    `${name}: ${draft.products.length} product(s), ${adopted} adopted topic(s); wrote ${created} new spec(s)${specs.length > created ? `, added to ${specs.length - created}` : ''}` +
      `${rendered.files.some((f) => !f.products.length) ? ', meshform.yaml owners' : ''} in ${options.out}` +
      (unmapped.length ? `; ${unmapped.length} thing(s) not mapped (listed above)` : '; everything mapped'),
  );
  const placeholders = rendered.files.some((f) => f.text.includes(`- ${PLACEHOLDER_OWNER}`));
  io.err(`next: ${placeholders ? `set the owners in ${path.join(options.out, MESH_FILE)} (${PLACEHOLDER_OWNER}), then ` : ''}meshform validate ${options.out} && meshform kafka plan ${options.out} --stack <name> (no topic change expected)`);
  return unmapped.length ? EXIT.FAILED : EXIT.OK;
}

function unmappedJson(u: Unmapped) {
  return { what: u.what, why: u.why, ...(u.location && { at: `${u.location.file}:${u.location.line}:${u.location.col}` }) };
}

function unmappedLine(u: Unmapped, cwd: string): string {
  const at = u.location ? `${path.isAbsolute(u.location.file) ? path.relative(cwd, u.location.file) : u.location.file}:${u.location.line}:${u.location.col}: ` : '';
  return `${at}warning ${CODES.importUnmapped}: ${u.what}: ${u.why}`;
}

/** Validates the folder with the files written into a scratch copy; diagnostics point at the real folder. */
async function checkInScratch(out: string, files: readonly ImportFile[], copies: ReadonlyArray<{ from: string; to: string }>): Promise<Diagnostic[]> {
  const real = path.resolve(out);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-import-'));
  try {
    if (fs.existsSync(real)) fs.cpSync(real, scratch, { recursive: true, filter: (src) => !/(^|\/)(node_modules|\.git)$/.test(src) });
    const moved = (file: string) => path.join(scratch, path.relative(real, file));
    for (const f of files) {
      fs.mkdirSync(path.dirname(moved(f.file)), { recursive: true });
      fs.writeFileSync(moved(f.file), f.text);
    }
    for (const c of copies) {
      fs.mkdirSync(path.dirname(moved(c.to)), { recursive: true });
      fs.copyFileSync(c.from, moved(c.to));
    }
    const result = await loadMesh([scratch]);
    const back = (text: string) => text.split(scratch).join(path.relative(process.cwd(), real) || '.');
    return result.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ ...d, message: back(d.message), location: d.location && { ...d.location, file: back(d.location.file) } }));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
