/**
 * meshform's built-in governance rules: standards a mesh file can require of every spec below it
 * (`rules: {topic-description: warn}`). Each rule reads the built mesh and says where a product
 * falls short; the severity and options come from the mesh file.
 */
import * as protobuf from 'protobufjs';
import type { SourceLocation } from '../vocabulary/diagnostics';
import type { Product, SchemaFact } from '../vocabulary/mesh';
import { readFreshness } from '../reading/channel-extension';
import { protoLayout } from '../schemas/proto-layout';

export interface RuleFinding {
  message: string;
  location: SourceLocation;
}

export interface RuleContext {
  /** The position of a JSON path in a file the run read (a spec, a schema file), or its closest ancestor. */
  locateIn(file: string, path: ReadonlyArray<string | number>, options?: { key?: boolean }): SourceLocation;
}

export interface BuiltInRule {
  description: string;
  /** Option names besides severity, with what each means; checked by `checkOptions`. */
  options: Record<string, string>;
  /** Why the options are unusable, by option name ('' for the rule as a whole). */
  checkOptions?(options: Record<string, unknown>): Array<{ option: string; problem: string }>;
  check(product: Product, options: Record<string, unknown>, context: RuleContext): RuleFinding[];
}

/** Kafka's default retention.ms (7 days), what a topic without its own retention keeps. */
const KAFKA_DEFAULT_RETENTION_MS = 604_800_000;

export const BUILT_IN_RULES: Readonly<Record<string, BuiltInRule>> = {
  'topic-description': {
    description: 'every topic a product owns has a description',
    options: {},
    check: (product) =>
      product.topics
        .filter((t) => !t.description?.trim())
        .map((t) => ({ message: `topic ${t.name} has no description: say what one record means, for the teams that read it`, location: t.location })),
  },

  'public-topic-schema': {
    description: 'every public topic declares a payload schema',
    options: {},
    check: (product) =>
      product.topics
        .filter((t) => t.visibility === 'public' && !t.schemas?.value)
        .map((t) => ({ message: `public topic ${t.name} has no payload schema: every product may read it, so its records need a contract`, location: t.location })),
  },

  'retention-bounds': {
    description: "each topic's retention.ms lies within min and max (ISO-8601 durations)",
    options: { min: 'shortest retention, e.g. P1D', max: 'longest retention, e.g. P90D' },
    checkOptions(options) {
      const problems: Array<{ option: string; problem: string }> = [];
      if (options.min === undefined && options.max === undefined) problems.push({ option: '', problem: 'retention-bounds needs min, max or both (ISO-8601 durations such as P1D)' });
      for (const key of ['min', 'max'] as const) {
        if (options[key] === undefined) continue;
        const read = readFreshness(options[key]);
        if (typeof read === 'string') problems.push({ option: key, problem: read.replace(/^freshness/, key) });
      }
      return problems;
    },
    check(product, options) {
      const bound = (key: 'min' | 'max') => {
        const read = options[key] === undefined ? undefined : readFreshness(options[key]);
        return read === undefined || typeof read === 'string' ? undefined : read;
      };
      const min = bound('min');
      const max = bound('max');
      const findings: RuleFinding[] = [];
      for (const t of product.topics) {
        // A compacted topic without delete keeps every key's last record whatever retention.ms says.
        if ((t.config['cleanup.policy'] ?? 'delete').split(',').every((p) => p.trim() === 'compact')) continue;
        const written = t.config['retention.ms'];
        const ms = written === undefined ? KAFKA_DEFAULT_RETENTION_MS : Number(written);
        const shown = written === undefined ? "retention.ms is not set (Kafka's default: 7 days)" : ms < 0 ? 'retention.ms -1 keeps records forever' : `retention.ms ${written} (${days(ms)})`;
        const location = t.configLocations?.['retention.ms'] ?? t.location;
        if (max && (ms < 0 || ms > max.seconds * 1000)) findings.push({ message: `${t.name}: ${shown}, more than the mesh's maximum ${max.duration}`, location });
        else if (min && ms >= 0 && ms < min.seconds * 1000) findings.push({ message: `${t.name}: ${shown}, less than the mesh's minimum ${min.duration}`, location });
      }
      return findings;
    },
  },

  'owners-groups': {
    description: 'owners are groups, not people (people change teams; a group outlives them)',
    options: {},
    check(product, _options, context) {
      const from = product.settingsFrom.owners;
      return product.owners
        .map((owner, i) => ({ owner, i }))
        .filter(({ owner }) => !owner.startsWith('group:'))
        .map(({ owner, i }) => ({
          message: `owner ${owner} of ${product.id} is not a group: name the team's group (group:<team>@<domain>) so ownership outlives a person`,
          location: from === 'x-meshform' ? context.locateIn(product.file, ['x-meshform', 'owners', i]) : (parseLocation(from) ?? product.location),
        }));
    },
  },

  'pii-visibility': {
    description: 'fields tagged PII appear only on protected or private topics',
    options: {},
    check(product, _options, context) {
      const findings: RuleFinding[] = [];
      for (const t of product.topics.filter((topic) => topic.visibility === 'public')) {
        for (const role of ['value', 'key'] as const) {
          const fact = t.schemas?.[role];
          if (!fact) continue;
          for (const field of piiFields(fact)) {
            findings.push({
              message: `${role} field ${field.name} of public topic ${t.name} is tagged PII: every product may read it; move it to a _protected topic granted to those who need it, or drop it`,
              location: field.line !== undefined ? { file: fact.location.file, line: field.line, col: field.col ?? 1 } : fieldLocation(fact, field.path, context),
            });
          }
        }
      }
      return findings;
    },
  },
};

function days(ms: number): string {
  const d = ms / 86_400_000;
  return `${Number.isInteger(d) ? d : d.toFixed(1)} day(s)`;
}

/** `specs/meshform.yaml:4:3` -> its location. */
function parseLocation(text: string): SourceLocation | undefined {
  const m = /^(.*):(\d+):(\d+)$/.exec(text);
  return m ? { file: m[1], line: Number(m[2]), col: Number(m[3]) } : undefined;
}

function fieldLocation(fact: SchemaFact, inner: ReadonlyArray<string | number>, context: RuleContext): SourceLocation {
  return fact.path ? context.locateIn(fact.location.file, [...fact.path, ...inner], { key: true }) : fact.location;
}

const PII = /^pii$/i;

/** `x-pii: true`, `pii: true`, or a tag list (`tags`, `x-tags`, `confluent:tags`) holding PII. */
function taggedPii(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const n = node as Record<string, unknown>;
  if (n['x-pii'] === true || n.pii === true) return true;
  return ['tags', 'x-tags', 'confluent:tags'].some((k) => Array.isArray(n[k]) && (n[k] as unknown[]).some((t) => typeof t === 'string' && PII.test(t)));
}

interface PiiField {
  name: string;
  /** JSON path inside the schema (Avro, JSON Schema). */
  path: Array<string | number>;
  /** Line and column in the .proto text. */
  line?: number;
  col?: number;
}

/** Fields a schema tags as personal data. */
export function piiFields(fact: SchemaFact): PiiField[] {
  const out: PiiField[] = [];
  if (fact.type === 'JSON') {
    const walk = (node: unknown, path: Array<string | number>, prefix: string, depth: number) => {
      if (typeof node !== 'object' || node === null || depth > 32) return;
      const n = node as Record<string, unknown>;
      if (typeof n.properties === 'object' && n.properties !== null) {
        for (const [name, sub] of Object.entries(n.properties as Record<string, unknown>)) {
          const at = [...path, 'properties', name];
          const shown = prefix ? `${prefix}.${name}` : name;
          if (taggedPii(sub)) out.push({ name: shown, path: at });
          walk(sub, at, shown, depth + 1);
        }
      }
      if (typeof n.items === 'object' && n.items !== null) walk(n.items, [...path, 'items'], `${prefix}[]`, depth + 1);
    };
    walk(fact.schema, [], '', 0);
  } else if (fact.type === 'AVRO') {
    const walk = (node: unknown, path: Array<string | number>, prefix: string, depth: number) => {
      if (depth > 32 || typeof node !== 'object' || node === null) return;
      if (Array.isArray(node)) {
        node.forEach((branch, i) => walk(branch, [...path, i], prefix, depth + 1));
        return;
      }
      const n = node as Record<string, unknown>;
      if (Array.isArray(n.fields)) {
        n.fields.forEach((field: Record<string, unknown>, i) => {
          const at = [...path, 'fields', i];
          const shown = prefix ? `${prefix}.${String(field?.name)}` : String(field?.name);
          if (taggedPii(field) || taggedPii(field?.type)) out.push({ name: shown, path: [...at, 'name'] });
          walk(field?.type, [...at, 'type'], shown, depth + 1);
        });
      }
      for (const key of ['items', 'values', 'type'] as const) if (typeof n[key] === 'object') walk(n[key], [...path, key], prefix, depth + 1);
    };
    walk(fact.schema, [], '', 0);
  } else if (typeof fact.schema === 'string') {
    const parsed = protobuf.parse(fact.schema, { keepCase: true, alternateCommentMode: true });
    const layout = protoLayout(fact.schema);
    const visit = (ns: protobuf.NamespaceBase) => {
      for (const nested of ns.nestedArray) {
        if (nested instanceof protobuf.Type) {
          for (const field of nested.fieldsArray) {
            if (!Object.entries(field.options ?? {}).some(([k, v]) => /pii/i.test(k) ? v === true : /tags/i.test(k) && String(v).split(',').some((t) => PII.test(t.trim())))) continue;
            const full = nested.fullName.replace(/^\./, '');
            const at = layout.fields.find((f) => f.message === full && f.name === field.name);
            out.push({ name: `${full}.${field.name}`, path: [], ...(at && fact.path?.length === 0 && { line: at.name_.line, col: at.name_.col }) });
          }
        }
        if (nested instanceof protobuf.Namespace) visit(nested);
      }
    };
    visit(parsed.root);
  }
  return out;
}
