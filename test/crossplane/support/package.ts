/**
 * The Crossplane package in crossplane/ as the tests see it: its YAML files and the XRD's schema
 * compiled with ajv. What the Composition composes is computed by Crossplane's own render with the
 * real functions (real-render.test.ts), not here.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The part of an OpenAPI v3 schema the checks here walk. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  [key: string]: unknown;
}

export const PACKAGE_DIR = join(__dirname, '..', '..', '..', 'crossplane');

export function readYaml<T = Record<string, unknown>>(file: string): T {
  return parse(readFileSync(join(PACKAGE_DIR, file), 'utf8')) as T;
}

interface Xrd {
  apiVersion: string;
  kind: string;
  spec: {
    scope: string;
    group: string;
    names: { kind: string; plural: string };
    versions: { name: string; served: boolean; referenceable: boolean; schema: { openAPIV3Schema: JsonSchema } }[];
  };
}

export interface Patch {
  type?: string;
  fromFieldPath: string;
  toFieldPath: string;
  policy?: { fromFieldPath?: 'Optional' | 'Required' };
  transforms?: unknown[];
}

export interface PatchedResource {
  name: string;
  base: Record<string, unknown>;
  patches?: Patch[];
}

export interface PipelineStep {
  step: string;
  functionRef: { name: string };
  input?: {
    apiVersion: string;
    kind: string;
    resources?: PatchedResource[];
    source?: string;
    inline?: { template: string };
  };
}

export interface Composition {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { compositeTypeRef: { apiVersion: string; kind: string }; mode: string; pipeline: PipelineStep[] };
}

export const xrd = readYaml<Xrd>('definition.yaml');
export const composition = readYaml<Composition>('composition.yaml');
export const configuration = readYaml<{ apiVersion: string; kind: string; spec: { dependsOn: Record<string, string>[] } }>(
  'crossplane.yaml',
);

export function xrSchema(): JsonSchema {
  return xrd.spec.versions[0].schema.openAPIV3Schema;
}

/** ajv knows the Kubernetes `x-kubernetes-*` extensions only as annotations. */
export function compileXrSchema(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true });
  for (const keyword of ['x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type']) {
    ajv.addKeyword(keyword);
  }
  return ajv.compile(xrSchema());
}

/**
 * Paths of fields in `value` that the schema does not define: the API server would prune them
 * silently, so the Composition would never see them.
 */
export function prunedFields(value: unknown, schema: JsonSchema, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => (schema.items ? prunedFields(item, schema.items, `${path}[${i}]`) : []));
  }
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childSchema =
      schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    const childPath = path ? `${path}.${key}` : key;
    return childSchema ? prunedFields(child, childSchema, childPath) : [childPath];
  });
}

/** `spec.a.b`, `metadata.annotations[crossplane.io/external-name]`, `items[0]` -> segments. */
export function fieldPathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const re = /([^.[\]]+)|\[([^\]]+)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) segments.push(m[1]);
    else segments.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return segments;
}
