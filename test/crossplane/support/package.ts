/**
 * The Crossplane package in crossplane/ as the tests see it: the XRD's schema compiled with ajv,
 * and a composer that runs the Composition's pipeline steps (patch-and-transform's
 * FromCompositeFieldPath patches, the go-templating step via ./go-template) on a DataProduct.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { parseTemplate, renderTemplate, type JsonSchema } from './go-template';

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

function getPath(object: unknown, path: string): unknown {
  let v = object;
  for (const key of fieldPathSegments(path)) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined;
  return v;
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const segments = fieldPathSegments(path);
  let v: Record<string | number, unknown> = object;
  segments.slice(0, -1).forEach((key) => {
    if (!v[key] || typeof v[key] !== 'object') v[key] = {};
    v = v[key] as Record<string | number, unknown>;
  });
  v[segments[segments.length - 1]] = value;
}

export interface ComposedResource {
  /** The composition resource name (P&T `name` or the go-templating annotation). */
  name: string;
  step: string;
  resource: Record<string, unknown> & { apiVersion: string; kind: string; metadata?: { annotations?: Record<string, string> } };
}

const NAME_ANNOTATION = 'gotemplating.fn.crossplane.io/composition-resource-name';

/** Runs the pipeline for a new XR (no observed composed resources). */
export function compose(xr: Record<string, unknown>): ComposedResource[] {
  const desired: ComposedResource[] = [];
  for (const step of composition.spec.pipeline) {
    const input = step.input;
    if (!input) continue;
    if (input.kind === 'Resources') {
      for (const template of input.resources ?? []) {
        const resource = structuredClone(template.base) as ComposedResource['resource'];
        let skip = false;
        for (const patch of template.patches ?? []) {
          if ((patch.type ?? 'FromCompositeFieldPath') !== 'FromCompositeFieldPath' || patch.transforms?.length) {
            throw new Error(`patch kind not simulated: ${JSON.stringify(patch)}`);
          }
          const value = getPath(xr, patch.fromFieldPath);
          if (value === undefined) {
            // patch-and-transform does not create a new resource whose Required patch has no source.
            if (patch.policy?.fromFieldPath === 'Required') skip = true;
            continue;
          }
          setPath(resource, patch.toFieldPath, structuredClone(value));
        }
        if (!skip) desired.push({ name: template.name, step: step.step, resource });
      }
    } else if (input.kind === 'GoTemplate') {
      const text = renderTemplate(parseTemplate(input.inline!.template), { observed: { composite: { resource: xr } } });
      for (const doc of parseAllDocuments(text)) {
        if (doc.errors.length) throw new Error(`template rendered invalid YAML: ${doc.errors[0].message}\n${text}`);
        const resource = doc.toJS() as ComposedResource['resource'] | null;
        if (!resource) continue;
        const name = resource.metadata?.annotations?.[NAME_ANNOTATION];
        if (!name) throw new Error(`rendered ${resource.kind} without ${NAME_ANNOTATION}`);
        delete resource.metadata!.annotations![NAME_ANNOTATION];
        desired.push({ name, step: step.step, resource });
      }
    } else {
      throw new Error(`function input not simulated: ${input.kind}`);
    }
  }
  return desired;
}
