/**
 * What ajv's meta-schema check says badly or not at all, at the place it is written: a `type` that
 * is no JSON Schema type (with the name the user meant: `int` -> `integer`), and keywords one typo
 * away from a known one (`requird`, `propertes`), which JSON Schema ignores: the schema then
 * checks less than its author thinks (a warning).
 */
import { nearest } from '../suggest';
import { JSON_SCHEMA_TYPES, typeNameHint } from './type-names';
import type { SchemaProblem } from './types';

type Path = Array<string | number>;

/** Keywords of draft-06/07, 2019-09 and 2020-12, and the AsyncAPI Schema Object's own. */
const KEYWORDS: readonly string[] = [
  '$schema', '$id', 'id', '$ref', '$comment', '$defs', '$anchor', '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor', '$vocabulary',
  'title', 'description', 'default', 'examples', 'example', 'readOnly', 'writeOnly', 'deprecated',
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'format', 'contentMediaType', 'contentEncoding', 'contentSchema',
  'items', 'additionalItems', 'prefixItems', 'maxItems', 'minItems', 'uniqueItems', 'contains', 'maxContains', 'minContains', 'unevaluatedItems',
  'properties', 'patternProperties', 'additionalProperties', 'required', 'maxProperties', 'minProperties', 'propertyNames',
  'dependencies', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'definitions',
  'discriminator', 'externalDocs',
];

/** Keywords whose value is a map of name -> schema. */
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies'];
/** Keywords whose value is a schema. */
const SCHEMA_VALUES = ['additionalProperties', 'additionalItems', 'contains', 'not', 'if', 'then', 'else', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'contentSchema'];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function jsonSchemaProblems(schema: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, path: Path, depth: number) => {
    if (!isObject(node) || seen.has(node) || depth > 64) return;
    seen.add(node);
    const types = typeof node.type === 'string' ? [[node.type, [...path, 'type']] as const] : Array.isArray(node.type) ? node.type.map((t, i) => [t, [...path, 'type', i]] as const) : [];
    for (const [t, at] of types) {
      if (typeof t === 'string' && !JSON_SCHEMA_TYPES.includes(t)) {
        problems.push({ message: `"${t}" is not a JSON Schema type${typeNameHint('JSON', t, JSON_SCHEMA_TYPES)}; the types are ${JSON_SCHEMA_TYPES.join(', ')}`, path: at });
      }
    }
    for (const key of Object.keys(node)) {
      if (KEYWORDS.includes(key) || key.startsWith('x-')) continue;
      const near = nearest(key, KEYWORDS, { abbreviations: false });
      if (near !== undefined) problems.push({ message: `unknown keyword "${key}" (did you mean "${near}"?); JSON Schema ignores it`, path: [...path, key], key: true, warning: true });
    }
    for (const key of SCHEMA_MAPS) {
      const map = node[key];
      if (isObject(map)) for (const [name, sub] of Object.entries(map)) walk(sub, [...path, key, name], depth + 1);
    }
    for (const key of SCHEMA_VALUES) walk(node[key], [...path, key], depth + 1);
    for (const key of SCHEMA_LISTS) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((sub, i) => walk(sub, [...path, key, i], depth + 1));
    }
    if (Array.isArray(node.items)) node.items.forEach((sub, i) => walk(sub, [...path, 'items', i], depth + 1));
    else walk(node.items, [...path, 'items'], depth + 1);
  };
  walk(schema, [], 0);
  return problems;
}

/** Whether `path` is `under` or below it. */
export function isUnder(path: ReadonlyArray<string | number>, under: ReadonlyArray<string | number>): boolean {
  return under.length <= path.length && under.every((step, i) => String(step) === String(path[i]));
}
