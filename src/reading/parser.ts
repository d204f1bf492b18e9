/**
 * The AsyncAPI document model (the parser's intent API) for a spec meshform has already
 * validated and resolved. Validation is done by `asyncapi/` (same verdicts, far cheaper), so
 * the model is built the way `Parser.parse` builds it after its validation step, without
 * Spectral parsing and resolving the text a second time. Pinned to @asyncapi/parser 3.6.x internals.
 *
 * Of the parser's post-validation "custom operations" only those that can change what meshform
 * reads are run:
 * - traits are applied (an operation trait may carry `grant-access:` tags), but only when some
 *   object has a `traits` list: otherwise the parser's JSONPath walks, the costliest step, change nothing;
 * - schemas are not "parsed": the only schema parser a default `Parser` has (AsyncAPI / JSON
 *   Schema) returns each schema unchanged;
 * - anonymous messages and schemas are not named: meshform reads no generated name (a message
 *   without an id or name is `message <n>` in the catalog), and the parser's naming walk re-visits
 *   shared schemas once per path (the cost grows with every `$ref` to a shared payload).
 */
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';

/* eslint-disable @typescript-eslint/no-explicit-any */
const { createAsyncAPIDocument } = require('@asyncapi/parser/cjs/document') as { createAsyncAPIDocument: (detailed: unknown) => AsyncAPIDocumentInterface };
const { copy } = require('@asyncapi/parser/cjs/stringify') as { copy: (data: unknown) => any };
const { applyUniqueIds } = require('@asyncapi/parser/cjs/custom-operations/apply-unique-ids') as { applyUniqueIds: (doc: unknown) => void };
const { applyTraitsV2, applyTraitsV3 } = require('@asyncapi/parser/cjs/custom-operations/apply-traits') as {
  applyTraitsV2: (doc: unknown) => void;
  applyTraitsV3: (doc: unknown) => void;
};
const { checkCircularRefs } = require('@asyncapi/parser/cjs/custom-operations/check-circular-refs') as {
  checkCircularRefs: (document: AsyncAPIDocumentInterface) => void;
};
const { createDetailedAsyncAPI, setExtension } = require('@asyncapi/parser/cjs/utils') as {
  createDetailedAsyncAPI: (parsed: unknown, input: string, source?: string) => { parsed: unknown; semver: { major: number } };
  setExtension: (id: string, value: unknown, model: AsyncAPIDocumentInterface) => void;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface ParsedModel {
  document?: AsyncAPIDocumentInterface;
  /** Why the model could not be built (the parser's own failures, e.g. in applying traits). */
  errors: string[];
}

/** Whether any object in the document (a DAG once resolved: shared nodes are walked once) has a `traits` list. */
function hasTraits(value: unknown): boolean {
  const seen = new Set<object>();
  const walk = (node: unknown): boolean => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) return node.some(walk);
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.traits)) return true;
    for (const key in obj) if (walk(obj[key])) return true;
    return false;
  };
  return walk(value);
}

/**
 * @param resolved the spec with its `$ref`s resolved (see `resolveRefs`)
 * @param fresh `resolved` is a new structure nobody else reads, so the model may own it
 *   (otherwise it is copied: applying traits writes into it)
 */
export function buildModel(resolved: unknown, text: string, source: string, fresh: boolean): ParsedModel {
  try {
    const parsed = fresh ? resolved : copy(resolved);
    applyUniqueIds(parsed);
    const detailed = createDetailedAsyncAPI(parsed, text, source);
    const document = createAsyncAPIDocument(detailed);
    setExtension('x-parser-spec-parsed', true, document);
    checkCircularRefs(document);
    if (hasTraits(parsed)) {
      if (detailed.semver.major === 2) applyTraitsV2(parsed);
      else applyTraitsV3(parsed);
    }
    return { document, errors: [] };
  } catch (e) {
    return { errors: [e instanceof Error ? e.message : String(e)] };
  }
}
