/**
 * AsyncAPI-level validation that accepts and rejects exactly what `new Parser()` (the default
 * ruleset) does, without Spectral's per-document cost: the official JSON Schemas compiled once
 * per version, plus the error-severity rules of the core rulesets. Warnings and infos of the
 * default ruleset never reject a document and are not reproduced.
 */
import type { ErrorObject } from 'ajv';
import { type AsyncApiIssue, type Json, isObject } from './issue';
import { v2Rules } from './rules-v2';
import { v3RawRules, v3ResolvedRules } from './rules-v3';
import { ASYNCAPI_VERSIONS, documentValidator, isRefNotAllowed, significantErrors } from './schemas';

function schemaIssue(code: string, e: ErrorObject, message?: string): AsyncApiIssue {
  const path = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : '';
  return { code, message: message ?? `${e.message ?? 'is invalid'}${extra}`, path };
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
    issues.push(...errors.map((e) => schemaIssue('asyncapi-document-resolved', e)));
  }
  if (hasRefs && !documentValidator(version, false, false)(raw)) {
    const validateRaw = documentValidator(version, false);
    if (!validateRaw(raw)) {
      issues.push(...(validateRaw.errors ?? []).filter(isRefNotAllowed)
        .map((e) => {
          const issue = schemaIssue('asyncapi-document-unresolved', e, 'Referencing in this place is not allowed');
          return { ...issue, path: [...issue.path, '$ref'] };
        }));
    }
  }
  if (!isObject(resolved)) return issues;
  if (version.startsWith('2.')) issues.push(...v2Rules(resolved, version));
  else issues.push(...v3RawRules(doc), ...v3ResolvedRules(resolved));
  return issues;
}
