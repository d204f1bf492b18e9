/**
 * The AsyncAPI document model (the parser's intent API) for a spec meshform has already
 * validated and resolved. Validation is done by `asyncapi/` (same verdicts, far cheaper), so
 * the model is built the way `Parser.parse` builds it after its validation step, without
 * Spectral parsing and resolving the text a second time. Pinned to @asyncapi/parser 3.6.x internals.
 */
import { Parser, type AsyncAPIDocumentInterface, createAsyncAPIDocument } from '@asyncapi/parser';

/* eslint-disable @typescript-eslint/no-explicit-any */
const { copy } = require('@asyncapi/parser/cjs/stringify') as { copy: (data: unknown) => any };
const { applyUniqueIds, customOperations } = require('@asyncapi/parser/cjs/custom-operations') as {
  applyUniqueIds: (doc: unknown) => void;
  customOperations: (parser: Parser, document: AsyncAPIDocumentInterface, detailed: unknown, inventory: undefined, options: object) => Promise<void>;
};
const { createDetailedAsyncAPI, setExtension } = require('@asyncapi/parser/cjs/utils') as {
  createDetailedAsyncAPI: (parsed: unknown, input: string, source?: string) => any;
  setExtension: (id: string, value: unknown, model: AsyncAPIDocumentInterface) => void;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

let parser: Parser | undefined;

export interface ParsedModel {
  document?: AsyncAPIDocumentInterface;
  /** Why the model could not be built (the parser's own failures, e.g. in applying traits). */
  errors: string[];
}

/**
 * @param resolved the spec with its `$ref`s resolved (see `resolveRefs`)
 * @param fresh `resolved` is a new structure nobody else reads, so the model may own it
 *   (otherwise it is copied: the parser's custom operations write into it)
 */
export async function buildModel(resolved: unknown, text: string, source: string, fresh: boolean): Promise<ParsedModel> {
  // Schema parsers live on the instance; Spectral's rules are off because they are never run.
  parser ??= new Parser({ ruleset: { core: false, recommended: false } });
  try {
    const parsed = fresh ? resolved : copy(resolved);
    applyUniqueIds(parsed);
    const detailed = createDetailedAsyncAPI(parsed, text, source);
    const document = createAsyncAPIDocument(detailed);
    setExtension('x-parser-spec-parsed', true, document);
    await customOperations(parser, document, detailed, undefined, { applyTraits: true, parseSchemas: true });
    return { document, errors: [] };
  } catch (e) {
    return { errors: [e instanceof Error ? e.message : String(e)] };
  }
}
