/**
 * The mesh file, `meshform.yaml`: what specs do not carry (owners, dialect, defaults), for every
 * spec in its folder and below. The nearest one above a spec applies (files are not merged); a
 * spec's own `x-meshform` wins key by key. Its folder is also the spec root for `$ref`s.
 *
 * ```yaml
 * dialect: specmesh            # or asyncapi (the default)
 * owners:                      # product id or id prefix (at a segment boundary) -> owners; longest prefix wins
 *   sim.grid: [group:grid@sim.example]
 * products:                    # id or id prefix -> any x-meshform keys; longest prefix wins, key by key
 *   sim.grid.load: {kafkaStreams: true}
 * defaults:                    # same keys as x-meshform
 *   domainType: source-aligned
 * rules:                       # governance: built-in rules (and ruleset rules) by name -> off | warn | error
 *   topic-description: warn
 *   retention-bounds: {severity: error, min: P1D, max: P90D}
 * rulesets: [governance/acme.spectral.yaml]   # Spectral rulesets, run on every spec below
 * ```
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Diagnostic, type SourceLocation, error } from '../vocabulary/diagnostics';
import { DEFAULT_LIMITS, LIMIT_CEILINGS, LIMIT_NAMES, type ReaderLimits } from './limits';
import { CODES } from '../vocabulary/codes';
import { type SettingFields, type SettingSource, isRecord, readOwners, readSettingFields, unknownKeys } from './extension';
import { type SourceLoader, isInside, isReallyInside } from './refs';
import { locate } from './source';
import { domainIdOf } from './urn';
import { didYouMean, quoted } from '../suggest';

export const MESH_FILE_NAMES: readonly string[] = ['meshform.yaml', 'meshform.yml'];
const TOP_KEYS = ['dialect', 'owners', 'products', 'defaults', 'rules', 'rulesets', 'limits'];
export const RULE_SEVERITIES = ['off', 'warn', 'error'] as const;
export type RuleSeverity = (typeof RULE_SEVERITIES)[number];

/** A rule the mesh file turns on, off or sets options of (src/governance decides what the name and options mean). */
export interface RuleSetting {
  name: string;
  severity: RuleSeverity;
  /** Options besides severity (`min`, `max`), as written. */
  options: Record<string, unknown>;
  /** Where the rule's key is written; each option's value. */
  location: SourceLocation;
  optionLocations: Record<string, SourceLocation>;
}

/** A Spectral ruleset the mesh file names. */
export interface RulesetReference {
  /** Absolute path (relative ones are read from the mesh file's folder). */
  path: string;
  written: string;
  location: SourceLocation;
}
/** A product id or a leading part of one: `sim`, `sim.grid.meters` (or its urn form). */
const ID_PREFIX = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

interface Entry extends SettingSource {
  /** Domain form: `sim.grid`. */
  prefix: string;
}

export interface MeshFile {
  path: string;
  display: string;
  /** The folder it applies to (and the spec root of the specs below it). */
  dir: string;
  /** `owners` and `products` entries. */
  entries: Entry[];
  /** Top-level `dialect` and `defaults`: apply to every spec below. */
  defaults: SettingSource[];
  /** Governance: rules by name, and Spectral rulesets. */
  rules: RuleSetting[];
  rulesets: RulesetReference[];
  /** The reader's limits for the specs below (and the files they refer to); the defaults where `limits:` sets none. */
  limits: ReaderLimits;
  diagnostics: Diagnostic[];
}

export function isMeshFileName(file: string): boolean {
  return MESH_FILE_NAMES.includes(path.basename(file));
}

/** Where each setting of product `id` may come from, most specific first (x-meshform goes before these). */
export function meshSources(meshFile: MeshFile | undefined, id: string): SettingSource[] {
  if (!meshFile) return [];
  const matching = meshFile.entries
    .filter((e) => id === e.prefix || id.startsWith(`${e.prefix}.`))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return [...matching, ...meshFile.defaults];
}

/** Reads each mesh file once and finds the one that applies to a spec. */
export class MeshFiles {
  private readonly byDir = new Map<string, MeshFile | undefined>();
  private readonly read = new Map<string, MeshFile>();

  /** @param display how diagnostics name a mesh file that is not read (relative to the working directory) */
  constructor(
    private readonly load: SourceLoader,
    private readonly display: (absolutePath: string) => string = (p) => path.basename(p),
  ) {}

  /** Every mesh file read so far (for their diagnostics, reported once each). */
  all(): MeshFile[] {
    return [...this.read.values()];
  }

  /**
   * The nearest mesh file in the spec's folder or above it, up to `stop` (inclusive).
   * @param stop the highest folder searched: the spec root or the working directory, whichever is higher
   */
  forSpec(specPath: string, stop: string): MeshFile | undefined {
    for (let dir = path.dirname(specPath); isInside(stop, dir); dir = path.dirname(dir)) {
      const found = this.inDir(dir);
      if (found || dir === stop) return found;
    }
    return undefined;
  }

  private inDir(dir: string): MeshFile | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const present = MESH_FILE_NAMES.map((name) => path.join(dir, name)).filter((f) => fs.existsSync(f));
    let meshFile: MeshFile | undefined;
    if (present.length > 0) {
      meshFile = this.read.get(present[0]) ?? readMeshFile(present[0], this.load, this.display);
      if (present.length > 1) {
        meshFile.diagnostics.push(error(CODES.meshFile, `two mesh files in one folder: ${present.map((p) => path.basename(p)).join(' and ')}; only ${path.basename(present[0])} is read: remove the other`, { file: meshFile.display, line: 1, col: 1 }));
      }
      this.read.set(present[0], meshFile);
    }
    this.byDir.set(dir, meshFile);
    return meshFile;
  }
}

/** `limits:`: each key a reader limit, each value a whole number from 1 up to the limit's ceiling. */
function readLimits(value: unknown, at: (p: ReadonlyArray<string | number>, options?: { key?: boolean }) => SourceLocation): { limits: ReaderLimits; diagnostics: Diagnostic[] } {
  if (!isRecord(value)) return { limits: DEFAULT_LIMITS, diagnostics: [error(CODES.meshFile, `limits must be a map of ${LIMIT_NAMES.join(', ')} to numbers`, at(['limits']))] };
  const diagnostics = unknownKeys(value, LIMIT_NAMES, ['limits'], at, CODES.meshFile, 'limits');
  const limits: ReaderLimits = { ...DEFAULT_LIMITS };
  for (const name of LIMIT_NAMES) {
    const n = value[name];
    if (n === undefined) continue;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= LIMIT_CEILINGS[name]) limits[name] = n;
    else diagnostics.push(error(CODES.meshFile, `limits.${name} must be a whole number from 1 to ${LIMIT_CEILINGS[name].toLocaleString('en-US')} (default ${DEFAULT_LIMITS[name].toLocaleString('en-US')}), got ${JSON.stringify(n)}`, at(['limits', name])));
  }
  return { limits, diagnostics };
}

/** `sim.grid`, `urn:sim:grid` or `urn:sim.grid` -> `sim.grid`; undefined when it is not an id prefix. */
function idPrefix(key: string): string | undefined {
  const id = key.startsWith('urn:') ? domainIdOf(key) : key;
  return ID_PREFIX.test(id) ? id : undefined;
}

export function readMeshFile(file: string, load: SourceLoader, display: (absolutePath: string) => string = (p) => path.basename(p)): MeshFile {
  const base = { path: file, dir: path.dirname(file), entries: [] as Entry[], defaults: [] as SettingSource[], rules: [] as RuleSetting[], rulesets: [] as RulesetReference[], limits: DEFAULT_LIMITS };
  if (!isReallyInside(base.dir, file)) {
    const where = { file: display(file), line: 1, col: 1 };
    return { ...base, display: where.file, diagnostics: [error(CODES.linkEscape, 'the mesh file is a symbolic link to outside its folder: not read', where)] };
  }
  const source = load(file);
  if (!source) {
    const where = { file: display(file), line: 1, col: 1 };
    return { ...base, display: where.file, diagnostics: [error(CODES.fileRead, `cannot read the mesh file`, where)] };
  }
  const meshFile: MeshFile = { ...base, display: source.display, diagnostics: [...source.syntaxErrors] };
  if (source.syntaxErrors.length > 0) return meshFile;
  const at = (p: ReadonlyArray<string | number>, options?: { key?: boolean }) => locate(source, p, options);
  const where = (p: ReadonlyArray<string | number>) => {
    const l = locate(source, p, { key: true });
    return `${l.file}:${l.line}:${l.col}`;
  };
  const value = source.value;
  if (value === null || value === undefined) return meshFile;
  if (!isRecord(value)) {
    meshFile.diagnostics.push(error(CODES.meshFile, 'a mesh file is a map with dialect, owners, products, defaults, limits, rules and rulesets', at([])));
    return meshFile;
  }
  const d = meshFile.diagnostics;
  const name = path.basename(file);
  d.push(...unknownKeys(value, TOP_KEYS, [], at, CODES.meshFile, name));

  if (value.limits !== undefined) {
    const read = readLimits(value.limits, at);
    d.push(...read.diagnostics);
    meshFile.limits = read.limits;
  }

  const defaults: SettingFields = {};
  if (value.defaults !== undefined) {
    const read = readSettingFields(value.defaults, ['defaults'], at, 'defaults', CODES.meshFile);
    d.push(...read.diagnostics);
    Object.assign(defaults, read.fields);
  }
  if (value.dialect !== undefined) {
    const read = readSettingFields({ dialect: value.dialect }, [], at, name, CODES.meshFile);
    d.push(...read.diagnostics);
    if (defaults.dialect !== undefined && read.fields.dialect !== undefined) {
      d.push(error(CODES.meshFile, 'dialect is set twice, at the top and in defaults: keep one', at(['defaults', 'dialect'])));
    } else if (read.fields.dialect !== undefined) {
      meshFile.defaults.push({ fields: { dialect: read.fields.dialect }, from: where(['dialect']) });
    }
  }
  for (const [key, fieldValue] of Object.entries(defaults)) meshFile.defaults.push({ fields: { [key]: fieldValue }, from: where(['defaults', key]) });

  readGovernance(value, meshFile, at);

  const seen = new Map<string, string>();
  const entry = (section: 'owners' | 'products', key: string): string | undefined => {
    const prefix = idPrefix(key);
    if (!prefix) {
      d.push(error(CODES.meshFile, `${section} key "${key}" is not a product id or id prefix (lowercase segments of a-z 0-9 - _ separated by ".", e.g. sim.grid)`, at([section, key])));
      return undefined;
    }
    const twice = seen.get(`${section}\0${prefix}`);
    if (twice) {
      d.push(error(CODES.meshFile, `${section} has ${prefix} twice (also as "${twice}")`, at([section, key])));
      return undefined;
    }
    seen.set(`${section}\0${prefix}`, key);
    return prefix;
  };
  for (const section of ['owners', 'products'] as const) {
    const map = value[section];
    if (map === undefined) continue;
    if (!isRecord(map)) {
      d.push(error(CODES.meshFile, `${section} must be a map of product id (or id prefix) to ${section === 'owners' ? 'a list of owners' : 'x-meshform keys'}`, at([section])));
      continue;
    }
    for (const [key, item] of Object.entries(map)) {
      const prefix = entry(section, key);
      if (!prefix) continue;
      if (section === 'owners') {
        const read = readOwners(item, [section, key], at, CODES.meshFile, `owners.${key}`);
        d.push(...read.diagnostics);
        if (read.owners) meshFile.entries.push({ prefix, fields: { owners: read.owners }, from: where([section, key]) });
      } else {
        const read = readSettingFields(item, [section, key], at, `products.${key}`, CODES.meshFile);
        d.push(...read.diagnostics);
        if (read.fields.owners && seen.has(`owners\0${prefix}`)) {
          d.push(error(CODES.meshFile, `owners of ${prefix} are set in both owners and products: keep one`, at([section, key, 'owners'])));
        }
        for (const [field, fieldValue] of Object.entries(read.fields)) {
          meshFile.entries.push({ prefix, fields: { [field]: fieldValue }, from: where([section, key, field]) });
        }
      }
    }
  }
  return meshFile;
}

/** `rules` and `rulesets`: their shape only; src/governance checks the names and options. */
function readGovernance(value: Record<string, unknown>, meshFile: MeshFile, at: (p: ReadonlyArray<string | number>, options?: { key?: boolean }) => SourceLocation): void {
  const d = meshFile.diagnostics;
  const severityProblem = (written: unknown) => `must be one of ${RULE_SEVERITIES.join(', ')}, got ${JSON.stringify(written)}${typeof written === 'string' ? didYouMean(written, RULE_SEVERITIES, quoted) : ''}`;
  if (value.rules !== undefined) {
    if (!isRecord(value.rules)) {
      d.push(error(CODES.meshFile, 'rules must be a map of rule name to off, warn or error (or {severity, ...options})', at(['rules'])));
    } else {
      for (const [name, setting] of Object.entries(value.rules)) {
        const options = isRecord(setting) ? { ...setting } : {};
        const severity = isRecord(setting) ? setting.severity : setting;
        delete options.severity;
        if (!(RULE_SEVERITIES as readonly unknown[]).includes(severity)) {
          d.push(error(CODES.meshFile, `rule ${name}: the severity ${severityProblem(severity)}`, at(isRecord(setting) ? ['rules', name, 'severity'] : ['rules', name])));
          continue;
        }
        const optionLocations = Object.fromEntries(Object.keys(options).map((k) => [k, at(['rules', name, k])]));
        meshFile.rules.push({ name, severity: severity as RuleSeverity, options, location: at(['rules', name], { key: true }), optionLocations });
      }
    }
  }
  if (value.rulesets !== undefined) {
    const list = value.rulesets;
    if (!Array.isArray(list) || list.some((r) => typeof r !== 'string' || r.trim() === '')) {
      d.push(error(CODES.meshFile, 'rulesets must be a list of Spectral ruleset files (paths relative to the mesh file)', at(['rulesets'])));
    } else {
      list.forEach((written: string, i) => meshFile.rulesets.push({ path: path.resolve(meshFile.dir, written), written, location: at(['rulesets', i]) }));
    }
  }
}
