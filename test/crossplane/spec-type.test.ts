/**
 * The DataProduct spec's TypeScript type (`DataProductSpec`, src/plan/types.ts) and the XRD's
 * schema (crossplane/definition.yaml) name the same fields with the same JSON types, every one
 * required but the optional flags (`boolean?`: `adopted`, absent unless set). `SHAPE` is checked against the type by the compiler (`satisfies Shape<...>`: a field
 * added to or removed from the type without this table fails `tsc`), and against the YAML here.
 */
import type { DataProductSpec } from '../../src/plan/types';
import { LAYERS, type DomainType } from '../../src/vocabulary/mesh';
import { xrSchema, type JsonSchema } from './support/package';

type Leaf = 'string' | 'boolean' | 'boolean?' | 'string[]' | 'string map';
/** The JSON shape of a type, field by field: every key of T present, none other; an optional key only as an optional boolean. */
type Shape<T> = {
  [K in keyof T]-?: undefined extends T[K] ? (Exclude<T[K], undefined> extends boolean ? 'boolean?' : never) : T[K] extends string
    ? 'string'
    : T[K] extends boolean
      ? 'boolean'
      : T[K] extends string[]
        ? 'string[]'
        : T[K] extends Array<infer E>
          ? [Shape<E>]
          : T[K] extends Record<string, string>
            ? string extends keyof T[K]
              ? 'string map'
              : Shape<T[K]>
            : Shape<T[K]>;
};

const SHAPE = {
  product: { id: 'string', urn: 'string', businessDomain: 'string', domainType: 'string' },
  project: 'string',
  location: 'string',
  protect: 'boolean',
  datasets: [{ layer: 'string', datasetId: 'string', adopted: 'boolean?', labels: 'string map', viewers: 'string[]' }],
  serviceAccount: { accountId: 'string', displayName: 'string', email: 'string', adopted: 'boolean?' },
  owners: 'string[]',
} satisfies Shape<DataProductSpec>;

type ShapeValue = Leaf | [ShapeNode] | ShapeNode;
interface ShapeNode {
  [key: string]: ShapeValue;
}

/** The differences between a shape and a schema, as `path: what` lines (empty when they agree). */
function differences(shape: ShapeValue, schema: JsonSchema, path: string): string[] {
  if (shape === 'boolean?') return schema.type === 'boolean' ? [] : [`${path}: boolean in the type, ${schema.type} in the XRD`];
  if (shape === 'string' || shape === 'boolean') return schema.type === shape ? [] : [`${path}: ${shape} in the type, ${schema.type} in the XRD`];
  if (shape === 'string[]') return schema.type === 'array' && schema.items?.type === 'string' ? [] : [`${path}: string[] in the type`];
  if (shape === 'string map') {
    const values = schema.additionalProperties;
    return schema.type === 'object' && typeof values === 'object' && values.type === 'string' ? [] : [`${path}: a string map in the type`];
  }
  if (Array.isArray(shape)) return schema.type === 'array' && schema.items ? differences(shape[0], schema.items, `${path}[]`) : [`${path}: an array in the type`];
  if (schema.type !== 'object' || !schema.properties) return [`${path}: an object in the type, ${schema.type} in the XRD`];
  const out: string[] = [];
  const inType = Object.keys(shape).sort();
  const inXrd = Object.keys(schema.properties).sort();
  for (const key of inType.filter((k) => !inXrd.includes(k))) out.push(`${path}.${key}: in the type, not in the XRD`);
  for (const key of inXrd.filter((k) => !inType.includes(k))) out.push(`${path}.${key}: in the XRD, not in the type`);
  const required = [...(schema.required ?? [])].sort();
  const requiredInType = inType.filter((k) => shape[k] !== 'boolean?');
  if (JSON.stringify(required) !== JSON.stringify(requiredInType)) out.push(`${path}: the XRD requires [${required}], the type [${requiredInType}]`);
  for (const key of inType.filter((k) => inXrd.includes(k))) out.push(...differences(shape[key], schema.properties[key], `${path}.${key}`));
  return out;
}

test('DataProductSpec and the XRD schema have the same fields, JSON types and required lists', () => {
  expect(differences(SHAPE, xrSchema().properties!.spec, 'spec')).toEqual([]);
});

test("the XRD's enums are the type's values", () => {
  const spec = xrSchema().properties!.spec;
  const domainTypes: Record<DomainType, true> = { 'source-aligned': true, aggregate: true, 'consumer-aligned': true };
  expect(spec.properties!.product.properties!.domainType.enum).toEqual(Object.keys(domainTypes));
  expect(spec.properties!.datasets.items!.properties!.layer.enum).toEqual([...LAYERS]);
});

test('a difference is reported, not missed', () => {
  const schema: JsonSchema = { type: 'object', required: ['a'], properties: { a: { type: 'boolean' }, b: { type: 'string' } } };
  expect(differences({ a: 'string' }, schema, 'spec')).toEqual([
    'spec.b: in the XRD, not in the type',
    'spec.a: string in the type, boolean in the XRD',
  ]);
  // An optional flag must not be required by the XRD, and must be a boolean there.
  const flags: JsonSchema = { type: 'object', required: ['a', 'f'], properties: { a: { type: 'string' }, f: { type: 'string' } } };
  expect(differences({ a: 'string', f: 'boolean?' }, flags, 'spec')).toEqual([
    'spec: the XRD requires [a,f], the type [a]',
    'spec.f: boolean in the type, string in the XRD',
  ]);
});
