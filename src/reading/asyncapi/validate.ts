/**
 * AsyncAPI-level validation that accepts and rejects exactly what `new Parser()` (the default
 * ruleset) does, without Spectral's per-document cost: the official JSON Schemas compiled once
 * per version, plus the error-severity rules of the core rulesets. Warnings and infos of the
 * default ruleset never reject a document and are not reproduced.
 */
import type { ErrorObject } from 'ajv';
import { valueAt } from '../source';
import { type AsyncApiIssue, type Json, isObject } from './issue';
import { meantKey } from './key-names';
import { nearest } from '../../suggest';
import { v2Rules } from './rules-v2';
import { v3RawRules, v3ResolvedRules } from './rules-v3';
import { ASYNCAPI_VERSIONS, documentValidator, isRefNotAllowed, significantErrors } from './schemas';

function schemaIssue(code: string, e: ErrorObject, document: unknown, message?: string): AsyncApiIssue {
  const path = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return { code, message: message ?? schemaMessage(e, path, document), path };
}

/**
 * A JSON Schema error in the words the parser (Spectral's better-ajv-errors) uses, so the message
 * names the field: `"partitions" property must be >= 1`, not a bare `must be >= 1`.
 */
function schemaMessage(e: ErrorObject, path: readonly string[], document: unknown): string {
  const params = e.params as { additionalProperty?: string; allowedValues?: unknown[] };
  // significantErrors has already moved the path onto the unexpected key itself.
  if (e.keyword === 'additionalProperties') return `Property "${String(params.additionalProperty)}" is not expected to be here`;
  const text = (e.message ?? 'is invalid').replace(/'/g, '"').replace(/NOT/g, 'not');
  const name = path.length > 0 ? path[path.length - 1] : undefined;
  if (e.keyword === 'type') return name === undefined ? `Value type ${text}` : `"${name}" property type ${text}`;
  const subject = name !== undefined ? `"${name}" property` : capitalize(typeof valueAt(document, path));
  if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    const allowed = params.allowedValues.map((v) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v))).join(', ');
    const written = valueAt(document, path);
    const meant = typeof written === 'string' ? nearest(written, params.allowedValues.filter((v): v is string => typeof v === 'string')) : undefined;
    return `${subject} ${text}: ${allowed}${meant ? ` (did you mean "${meant}"?)` : ''}`;
  }
  return `${subject} ${text}`;
}

/** An unknown key: placed on the key itself, with the key it most likely meant. */
function unknownKey(issue: AsyncApiIssue, raw: unknown, version: string): AsyncApiIssue {
  const key = /^Property "(.*)" is not expected to be here$/.exec(issue.message)?.[1];
  if (key === undefined || key === '$ref') return issue;
  const parent = valueAt(raw, issue.path.slice(0, -1));
  const meant = isObject(parent) ? meantKey(version, key, Object.keys(parent)) : undefined;
  return { ...issue, key: true, message: meant ? `${issue.message} (did you mean "${meant}"?)` : issue.message };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The resolved document repeats a definition wherever it is `$ref`'d, and so repeats its errors.
 * The parser reports each once, where it is written: map a path that runs through a local
 * `$ref` (`#/...`) onto the definition, then drop repeats.
 */
function atDefinitions(issues: AsyncApiIssue[], raw: unknown): AsyncApiIssue[] {
  const seen = new Set<string>();
  const out: AsyncApiIssue[] = [];
  for (const issue of issues) {
    const path = definitionPath(raw, issue.path);
    const key = `${issue.code}\0${issue.message}\0${path.join('\0')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...issue, path });
  }
  return out;
}

function definitionPath(raw: unknown, path: ReadonlyArray<string | number>): ReadonlyArray<string | number> {
  let node = raw;
  let at: Array<string | number> = [];
  // Bounded: a chain of refs pointing at each other must not loop.
  for (let i = 0, hops = 0; i < path.length; i++) {
    const ref = isObject(node) ? node.$ref : undefined;
    if (typeof ref === 'string' && ref.startsWith('#/') && hops++ < 32) {
      at = ref.slice(2).split('/').map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
      node = valueAt(raw, at as string[]);
      i--;
      continue;
    }
    at.push(path[i]);
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[String(path[i])] : undefined;
  }
  return at;
}

/** The version check of `asyncapi-is-asyncapi`. Undefined when the document is one the parser reads. */
export function asyncApiVersionIssue(raw: unknown): AsyncApiIssue | undefined {
  if (!isObject(raw) || typeof raw.asyncapi !== 'string') {
    return { code: 'asyncapi-is-asyncapi', message: 'This is not an AsyncAPI document. The "asyncapi" field as string is missing.', path: [] };
  }
  if (!ASYNCAPI_VERSIONS.includes(raw.asyncapi)) {
    return { code: 'asyncapi-is-asyncapi', message: `Version "${raw.asyncapi}" is not supported.`, path: ['asyncapi'] };
  }
  return undefined;
}

/**
 * @param raw the document as written
 * @param resolved the same document with every `$ref` replaced by its target
 * @param hasRefs whether `raw` contains any `$ref` (skips the as-written pass when not)
 */
export function validateAsyncApi(raw: unknown, resolved: unknown, hasRefs: boolean): AsyncApiIssue[] {
  const versionIssue = asyncApiVersionIssue(raw);
  if (versionIssue) return [versionIssue];
  const doc = raw as Json;
  const version = doc.asyncapi as string;
  const issues: AsyncApiIssue[] = [];

  // The verdict validators answer for valid documents; only an invalid one pays for every error.
  if (!documentValidator(version, true, false)(resolved)) {
    const validateResolved = documentValidator(version, true);
    validateResolved(resolved);
    const errors = significantErrors(validateResolved.errors ?? []).filter((e) => !isRefNotAllowed(e));
    issues.push(...atDefinitions(errors.map((e) => schemaIssue('asyncapi-document-resolved', e, resolved)), raw).map((i) => unknownKey(i, raw, version)));
  }
  if (hasRefs && !documentValidator(version, false, false)(raw)) {
    const validateRaw = documentValidator(version, false);
    if (!validateRaw(raw)) {
      issues.push(...(validateRaw.errors ?? []).filter(isRefNotAllowed)
        .map((e) => {
          const issue = schemaIssue('asyncapi-document-unresolved', e, raw, 'Referencing in this place is not allowed');
          return { ...issue, path: [...issue.path, '$ref'] };
        }));
    }
  }
  if (!isObject(resolved)) return issues;
  if (version.startsWith('2.')) issues.push(...v2Rules(resolved, version));
  else issues.push(...v3RawRules(doc), ...v3ResolvedRules(resolved));
  return issues;
}
