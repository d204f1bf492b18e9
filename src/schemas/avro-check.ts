/**
 * Where an Avro schema is wrong: avsc decides whether a schema is valid, but its messages name no
 * place (`undefined type name: strnig`). This walk follows the Avro specification's structure
 * (named types defined before use, in their namespace) and returns the first problems with their
 * JSON path, so a diagnostic points at the field. It runs only on schemas avsc refused.
 */
import { nearest } from '../suggest';
import { AVRO_COMPLEX, AVRO_PRIMITIVES, typeNameHint } from './type-names';
import type { SchemaProblem } from './types';

type Path = Array<string | number>;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Attributes the specification gives each kind of schema object (others are allowed, as custom properties). */
const ATTRIBUTES: Record<string, readonly string[]> = {
  record: ['type', 'name', 'namespace', 'doc', 'aliases', 'fields'],
  enum: ['type', 'name', 'namespace', 'doc', 'aliases', 'symbols', 'default'],
  fixed: ['type', 'name', 'namespace', 'doc', 'aliases', 'size', 'logicalType', 'precision', 'scale'],
  array: ['type', 'items', 'default'],
  map: ['type', 'values', 'default'],
  field: ['name', 'doc', 'type', 'default', 'order', 'aliases'],
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Walk {
  readonly problems: SchemaProblem[] = [];
  /** Full names defined so far; named types must be defined before they are used. */
  private readonly defined = new Set<string>();

  /** @param later names the schema defines anywhere (short and full), to tell "defined later" from "unknown" */
  constructor(private readonly later: ReadonlySet<string> = new Set()) {}

  add(message: string, path: Path): void {
    this.problems.push({ message, path });
  }

  private known(): string[] {
    return [...AVRO_PRIMITIVES, ...[...this.defined].map((n) => n.slice(n.lastIndexOf('.') + 1))];
  }

  private reference(name: string, path: Path, namespace: string): void {
    if (AVRO_PRIMITIVES.includes(name)) return;
    const full = name.includes('.') ? name : namespace ? `${namespace}.${name}` : name;
    if (this.defined.has(full) || this.defined.has(name)) return;
    if (this.later.has(full) || this.later.has(name)) {
      this.add(`the type "${name}" is used before it is defined: Avro reads named types in order, so define it where it is first used and refer to it by name after`, path);
      return;
    }
    if (AVRO_COMPLEX.includes(name)) {
      this.add(`"${name}" is written as an object: {"type": "${name}", ...}`, path);
      return;
    }
    this.add(`unknown Avro type "${name}"${typeNameHint('AVRO', name, this.known())}`, path);
  }

  /** A name being defined; false when it is not a valid Avro name. */
  private define(node: Record<string, unknown>, path: Path, namespace: string): string | undefined {
    const name = node.name;
    if (typeof name !== 'string') {
      this.add(`a ${String(node.type)} needs a "name"`, path);
      return undefined;
    }
    const bad = name.split('.').find((s) => !NAME.test(s));
    if (bad !== undefined) {
      this.add(`"${name}" is not a valid Avro name (letters, digits and _, not starting with a digit)`, [...path, 'name']);
      return undefined;
    }
    const own = typeof node.namespace === 'string' ? node.namespace : namespace;
    const full = name.includes('.') ? name : own ? `${own}.${name}` : name;
    if (this.defined.has(full)) this.add(`the type "${full}" is defined twice`, [...path, 'name']);
    this.defined.add(full);
    return full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
  }

  /** Custom attributes are allowed; one a letter or two away from a known attribute is a typo that silently does nothing. */
  private misspelt(node: Record<string, unknown>, kind: string, path: Path): void {
    const known = ATTRIBUTES[kind];
    for (const key of Object.keys(node)) {
      if (known.includes(key)) continue;
      const near = nearest(key, known, { abbreviations: false });
      if (near !== undefined) this.problems.push({ message: `unknown attribute "${key}" in a ${kind === 'field' ? 'record field' : kind} (did you mean "${near}"?); Avro keeps it as a custom property and ignores it`, path: [...path, key], key: true, warning: true });
    }
  }

  schema(node: unknown, path: Path, namespace: string): void {
    if (typeof node === 'string') {
      this.reference(node, path, namespace);
      return;
    }
    if (Array.isArray(node)) {
      this.union(node, path, namespace);
      return;
    }
    if (!isObject(node)) {
      this.add(`${JSON.stringify(node)} is not an Avro schema (a type name, an object with "type", or a list for a union)`, path);
      return;
    }
    const type = node.type;
    if (type === undefined) {
      this.add('an Avro schema object needs "type"', path);
      return;
    }
    if (typeof type !== 'string') {
      this.schema(type, [...path, 'type'], namespace);
      return;
    }
    switch (type) {
      case 'record':
      case 'error':
        this.record(node, path, namespace);
        return;
      case 'enum':
        this.enumeration(node, path, namespace);
        return;
      case 'fixed': {
        this.misspelt(node, 'fixed', path);
        this.define(node, path, namespace);
        if (!Number.isInteger(node.size) || (node.size as number) < 0) this.add('a fixed needs "size", a whole number of bytes', node.size === undefined ? path : [...path, 'size']);
        return;
      }
      case 'array':
      case 'map': {
        this.misspelt(node, type, path);
        const child = type === 'array' ? 'items' : 'values';
        if (node[child] === undefined) this.add(`an ${type === 'array' ? 'array needs "items"' : 'map needs "values"'}: the type of its ${type === 'array' ? 'elements' : 'values'}`, path);
        else this.schema(node[child], [...path, child], namespace);
        return;
      }
      default:
        this.reference(type, [...path, 'type'], namespace);
    }
  }

  private union(branches: unknown[], path: Path, namespace: string): void {
    const seen = new Set<string>();
    branches.forEach((branch, i) => {
      if (Array.isArray(branch)) {
        this.add('a union cannot hold a union directly', [...path, i]);
        return;
      }
      this.schema(branch, [...path, i], namespace);
      const key = typeof branch === 'string' ? branch : isObject(branch) ? String(branch.name ?? branch.type) : '';
      if (seen.has(key)) this.add(`the union has "${key}" twice`, [...path, i]);
      seen.add(key);
    });
  }

  private record(node: Record<string, unknown>, path: Path, namespace: string): void {
    this.misspelt(node, 'record', path);
    const inner = this.define(node, path, namespace) ?? namespace;
    if (!Array.isArray(node.fields)) {
      this.add('a record needs "fields": a list of {"name", "type"}', node.fields === undefined ? path : [...path, 'fields']);
      return;
    }
    const names = new Set<string>();
    node.fields.forEach((field, i) => {
      const at: Path = [...path, 'fields', i];
      if (!isObject(field)) {
        this.add('a record field is an object {"name", "type"}', at);
        return;
      }
      this.misspelt(field, 'field', at);
      if (typeof field.name !== 'string' || !NAME.test(field.name)) {
        this.add(typeof field.name === 'string' ? `"${field.name}" is not a valid Avro field name` : 'a record field needs a "name"', field.name === undefined ? at : [...at, 'name']);
      } else if (names.has(field.name)) {
        this.add(`the field "${field.name}" is declared twice`, [...at, 'name']);
      } else {
        names.add(field.name);
      }
      if (field.type === undefined) this.add(`the field ${typeof field.name === 'string' ? `"${field.name}" ` : ''}needs a "type"`, at);
      else this.schema(field.type, [...at, 'type'], inner);
    });
  }

  private enumeration(node: Record<string, unknown>, path: Path, namespace: string): void {
    this.misspelt(node, 'enum', path);
    this.define(node, path, namespace);
    if (!Array.isArray(node.symbols)) {
      this.add('an enum needs "symbols": a list of names', node.symbols === undefined ? path : [...path, 'symbols']);
      return;
    }
    const seen = new Set<unknown>();
    node.symbols.forEach((symbol, i) => {
      if (typeof symbol !== 'string' || !NAME.test(symbol)) this.add(`${JSON.stringify(symbol)} is not a valid enum symbol`, [...path, 'symbols', i]);
      else if (seen.has(symbol)) this.add(`the symbol "${symbol}" is listed twice`, [...path, 'symbols', i]);
      seen.add(symbol);
    });
    if (node.default !== undefined && !node.symbols.includes(node.default)) {
      this.add(`the enum's default ${JSON.stringify(node.default)} is not one of its symbols`, [...path, 'default']);
    }
  }
}

/**
 * The problems of a schema avsc refused, at their paths. `avscMessage` places what the walk does
 * not check itself (a default value of the wrong type); anything else is reported at the root.
 */
export function avroProblems(schema: unknown, avscMessage: string): SchemaProblem[] {
  const walk = new Walk(namesIn(schema));
  walk.schema(schema, [], '');
  if (walk.problems.some((p) => !p.warning)) return walk.problems;
  const wrongDefault = /^incompatible field default (.*?) \(/.exec(avscMessage);
  const field = wrongDefault ? fieldWithDefault(schema, wrongDefault[1], []) : undefined;
  const problem: SchemaProblem = field
    ? { message: `the default ${wrongDefault![1]} does not fit the field's type${/union/.test(avscMessage) ? " (a union's default must fit its first branch)" : ''}`, path: [...field, 'default'] }
    : { message: `invalid Avro schema: ${avscMessage}` };
  return [...walk.problems, problem];
}

/** Every name a schema defines, short and full (namespaces taken loosely: this only words a message). */
function namesIn(schema: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown, depth: number) => {
    if (depth > 64 || node === null || typeof node !== 'object') return;
    if (isObject(node) && typeof node.name === 'string' && ['record', 'error', 'enum', 'fixed'].includes(String(node.type))) {
      names.add(node.name);
      names.add(node.name.slice(node.name.lastIndexOf('.') + 1));
      if (typeof node.namespace === 'string') names.add(`${node.namespace}.${node.name}`);
    }
    for (const child of Object.values(node)) walk(child, depth + 1);
  };
  walk(schema, 0);
  return names;
}

/** The path of the first record field whose default is written as `json`. */
function fieldWithDefault(node: unknown, json: string, path: Path): Path | undefined {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const hit = fieldWithDefault(node[i], json, [...path, i]);
      if (hit) return hit;
    }
    return undefined;
  }
  if (!isObject(node)) return undefined;
  if (Array.isArray(node.fields)) {
    for (let i = 0; i < node.fields.length; i++) {
      const field = node.fields[i] as Record<string, unknown>;
      if (isObject(field) && 'default' in field && JSON.stringify(field.default) === json) return [...path, 'fields', i];
      const hit = isObject(field) ? fieldWithDefault(field.type, json, [...path, 'fields', i, 'type']) : undefined;
      if (hit) return hit;
    }
  }
  for (const key of ['type', 'items', 'values'] as const) {
    const hit = node[key] !== undefined && typeof node[key] === 'object' ? fieldWithDefault(node[key], json, [...path, key]) : undefined;
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Attribute typos in a schema avsc accepted (`"defualt"` silently gives a field no default, which
 * breaks compatibility later): warnings with their paths.
 */
export function avroAttributeTypos(schema: unknown): SchemaProblem[] {
  const walk = new Walk();
  walk.schema(schema, [], '');
  return walk.problems.filter((p) => p.warning);
}
