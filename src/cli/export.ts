/**
 * `meshform export backstage [paths..] [--out dir]`: the mesh as Backstage catalog entities (one
 * multi-document YAML, `catalog-info.yaml` in --out, else stdout). Register the file in Backstage
 * as a Location. `meshform export alerts [paths..] --stack <s> [--format prometheus] [--metrics
 * kafka-exporter|jmx] [--out file]`: the specs' freshness and lag expectations as Prometheus
 * alerting rules. `meshform export mesh-index [paths..] [--out file]`: the mesh index (mesh.json)
 * product repositories give `meshform breaking --mesh`. Specs with errors export nothing (exit 1),
 * as for `plan`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { backstageEntities, CATALOG_FILE, GENERATED_HEADER, renderEntities } from '../adapters/backstage';
import { describeFsError } from '../reading/files';
import { alertRules, type Metrics } from '../adapters/prometheus/alerts';
import { meshIndex, parseMeshIndex } from '../mesh-index';
import { diagnosticCounts, loadMeshOrExit, loadPlanOrExit } from './inputs';
import { EXIT, type Io } from './io';
import type { StackOptions } from './options';
import type { Mesh } from '../vocabulary/mesh';

export interface BackstageOptions {
  out?: string;
}

/** The mesh, or the exit code once its diagnostics and their counts are printed (specs with errors export nothing). */
async function meshOrExit(io: Io, paths: string[]): Promise<Mesh | number> {
  const loaded = await loadMeshOrExit(io, paths);
  if (loaded.ok) return loaded.value.mesh;
  io.err(diagnosticCounts(loaded.diagnostics));
  return loaded.exit;
}

/**
 * Prints `text`, or writes it to `out` (replacing only a file `ours` recognises) and says so with
 * `wrote`: the exit code.
 */
function emit(io: Io, command: string, text: string, out: string | undefined, ours: (existing: string) => boolean, wrote: string): number {
  if (out === undefined) {
    io.out(text);
    return EXIT.OK;
  }
  const problem = writeGeneratedFile(out, text, ours);
  if (problem) {
    io.err(`meshform export ${command}: ${problem}`);
    return EXIT.USAGE;
  }
  io.err(`meshform export ${command}: wrote ${wrote} to ${out}`);
  return EXIT.OK;
}

export async function runExportBackstage(paths: string[], options: BackstageOptions, io: Io): Promise<number> {
  const mesh = await meshOrExit(io, paths);
  if (typeof mesh === 'number') return mesh;
  const specTexts = new Map<string, string>();
  for (const p of mesh.products) {
    try {
      specTexts.set(p.file, fs.readFileSync(p.file, 'utf8'));
    } catch (e) {
      io.err(`meshform export backstage: cannot read ${p.file}: ${describeFsError(e)}`);
      return EXIT.USAGE;
    }
  }
  const entities = backstageEntities({ mesh, specTexts });
  const text = renderEntities(entities);
  if (options.out === undefined) {
    io.out(text);
    return EXIT.OK;
  }
  const file = path.join(options.out, CATALOG_FILE);
  const problem = writeCatalogFile(options.out, file, text);
  if (problem) {
    io.err(`meshform export backstage: ${problem}`);
    return EXIT.USAGE;
  }
  const kinds = new Map<string, number>();
  for (const e of entities) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  io.err(`meshform export backstage: wrote ${entities.length} entities (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}) to ${file}`);
  return EXIT.OK;
}

/** Overwrites only a file meshform wrote: anything else there is someone's catalog. */
function writeCatalogFile(dir: string, file: string, text: string): string | undefined {
  return writeGeneratedFile(file, text, (existing) => existing.startsWith(GENERATED_HEADER), `${dir} is a file; --out takes a folder`);
}

/**
 * Writes a generated file, creating its folder; an existing file is replaced only when `ours` says
 * meshform wrote it. Returns the problem, or undefined when written.
 */
export function writeGeneratedFile(file: string, text: string, ours: (existing: string) => boolean, notAFolder = `a part of the folder path of ${file} is a file`): string | undefined {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file) && !ours(fs.readFileSync(file, 'utf8'))) {
      return `${file} exists and was not written by meshform; move it away or choose another --out`;
    }
    fs.writeFileSync(file, text);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') return notAFolder;
    return `cannot write ${file}: ${describeFsError(e)}`;
  }
}

export interface MeshIndexOptions {
  out?: string;
}

export async function runExportMeshIndex(paths: string[], options: MeshIndexOptions, io: Io): Promise<number> {
  const mesh = await meshOrExit(io, paths);
  if (typeof mesh === 'number') return mesh;
  const index = meshIndex(mesh);
  const isIndex = (existing: string) => typeof parseMeshIndex(existing, '') !== 'string';
  return emit(io, 'mesh-index', `${JSON.stringify(index, null, 2)}\n`, options.out, isIndex, `${index.products.length} product(s)`);
}

export interface AlertsOptions extends StackOptions {
  format: 'prometheus';
  metrics: Metrics;
  out?: string;
}

const ALERTS_HEADER = '# Generated by meshform export alerts';

export async function runExportAlerts(paths: string[], options: AlertsOptions, io: Io): Promise<number> {
  const loaded = await loadPlanOrExit(io, paths, options.stack);
  if (!loaded.ok) return loaded.exit;
  const { mesh, stack } = loaded.value;
  const rules = alertRules(mesh, { stack: stack.name, metrics: options.metrics });
  const count = rules.groups.reduce((n, g) => n + g.rules.length, 0);
  const header = [
    `${ALERTS_HEADER} --stack ${stack.name} --metrics ${options.metrics}: the specs' x-meshform freshness and maxLag.`,
    options.metrics === 'jmx'
      ? '# Metrics: the brokers\' JMX exporter (kafka_server_brokertopicmetrics_messagesin_total); brokers do not measure consumer lag: use --metrics kafka-exporter for lag rules.'
      : '# Metrics: kafka-exporter (kafka_topic_partition_current_offset, kafka_consumergroup_lag).',
    '# Load it in Prometheus as a rule file (rule_files:); edit the specs, not this file.',
  ].join('\n');
  const text = `${header}\n${stringify(rules, { lineWidth: 0 })}`;
  if (count === 0) io.err('meshform export alerts: no channel sets x-meshform freshness or maxLag: the rule file has no rules');
  return emit(io, 'alerts', text, options.out, (existing) => existing.startsWith(ALERTS_HEADER), `${count} rule(s)`);
}
