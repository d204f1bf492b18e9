/**
 * meshform's AsyncAPI checks must accept and reject exactly what `new Parser()` with its default
 * ruleset does. Files of the corpora are run through both (the default parser costs ~300 ms a
 * file, so meshform-only cases, which are valid AsyncAPI, are sampled). Files meshform's `$ref`
 * policy refuses are left out: the default parser would fetch or read them, which is exactly
 * what the policy prevents. The selection is split by corpus over several test files so jest
 * can run them in parallel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import type { SpecDocument } from '../../src/reading/document';
import { MeshFiles, isMeshFileName } from '../../src/reading/mesh-file';
import { createLoader, checkAsyncApi } from '../../src/reading/read';
import { findRefs, guardRefs } from '../../src/reading/refs';
import type { SpecSource } from '../../src/reading/source';
import { FIXTURES, filesUnder } from './corpus';

const cwd = path.resolve(__dirname, '../..');
export const SPECS_FOLDER = path.join(cwd, 'specs');
/** Shared fragments and the schema files specs `$ref` (`.avsc`, `.json`, `.proto`) are not specs. */
const fragments = /[/\\](common|schemas)[/\\]/;

/** Cases about AsyncAPI itself run in full; meshform-only invalid cases (valid AsyncAPI) are sampled. */
const asyncApiCase = /[/\\](asyncapi-|syntax-|version-|id-not-a-uri|kafka-partitions-zero-v3|ref-local)|asyncapi-differential|[/\\]valid[/\\]/;

/** The SpecMesh-style mesh: specs with root-relative `$ref`s under a meshform.yaml (its schemas are not specs). */
export const SPECMESH_FOLDER = path.resolve(__dirname, '../fixtures/specmesh');
export const SPECMESH_SPECS: readonly string[] = filesUnder(SPECMESH_FOLDER).filter((f) => /-api\.ya?ml$/.test(f) && !isMeshFileName(f));

/**
 * The text the default parser gets: the file itself, or, when it has root-relative refs
 * (`/schema/x.avsc`, which meshform reads from the spec root and the parser would read from the
 * file system's root), the same document with those refs made relative to the file.
 */
function parserInput(file: string, source: SpecSource, root: string): string {
  const text = fs.readFileSync(file, 'utf8');
  if (!findRefs(source.value).some((r) => /^\/(?!\/)/.test(r.ref))) return text;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => {
      if (k === '$ref' && typeof v === 'string' && /^\/(?!\/)/.test(v)) return [k, path.relative(path.dirname(file), path.join(root, v)).split(path.sep).join('/')];
      return [k, rewrite(v)];
    }));
  };
  return JSON.stringify(rewrite(source.value));
}

/** Every file the differential tests compare, across all corpora. */
export const DIFFERENTIAL_FILES: readonly string[] = [...filesUnder(FIXTURES), ...filesUnder(SPECS_FOLDER)]
  .filter((f) => !fragments.test(f) && /\.(ya?ml|json)$/i.test(f))
  .filter((f, i) => asyncApiCase.test(f) || f.startsWith(SPECS_FOLDER) || i % 4 === 0);

export function differentialTests(title: string, files: readonly string[]): void {
  describe(`AsyncAPI verdicts agree with the default @asyncapi/parser: ${title}`, () => {
    const defaultParser = new Parser();
    const load = createLoader(cwd);
    const meshFiles = new MeshFiles(load);

    it('has files to compare', () => {
      expect(files.length).toBeGreaterThan(0);
    });

    it.each(files.map((f) => [path.relative(FIXTURES, f), f]))('%s', async (_name, file) => {
      const source = load(file);
      if (!source) throw new Error(`cannot read ${file}`);
      // A mesh file marks the spec root, as in loadMesh.
      const root = meshFiles.forSpec(file, cwd)?.dir ?? path.dirname(file);
      if (source.value !== undefined && guardRefs(source, root, load).diagnostics.length > 0) {
        expect(file).toMatch(/ref-|escape/);
        return;
      }
      const ours = await checkAsyncApi(source, root, load);
      const theirs = await defaultParser.parse(parserInput(file, source, root), { source: file });
      const theirErrors = theirs.diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message}`);
      const ourErrors = ours.diagnostics.map((d) => `${d.code}: ${d.message}`);
      expect({ accepted: ours.document !== undefined, errors: ourErrors.length > 0 })
        .toEqual({ accepted: theirs.document !== undefined, errors: theirErrors.length > 0 });
      // What meshform reads of an accepted document is what the parser's document model gives.
      if (ours.document && theirs.document) expect(ourView(ours.document)).toEqual(parserView(theirs.document));
    });
  });
}

/**
 * The parser's document model, read through its intent API, in the shape of meshform's
 * `SpecDocument`: the oracle for `src/reading/document.ts`. The default parser also names
 * anonymous messages and schemas and marks objects with `x-parser-*` keys; those are left out.
 */
function parserView(doc: AsyncAPIDocumentInterface): unknown {
  const circular = doc.extensions().get('x-parser-circular')?.value() === true;
  return comparable({
    version: doc.version(),
    info: { id: doc.info().id(), title: doc.info().title(), description: doc.info().description(), version: doc.info().version() },
    meshform: doc.extensions().get('x-meshform')?.value(),
    channels: doc.channels().all().map((c) => ({
      id: c.id(),
      address: c.address(),
      description: c.description(),
      kafkaBinding: c.bindings().get('kafka')?.value(),
      tags: (c.json() as { tags?: unknown }).tags,
      operations: c.operations().all().map((o) => ({ id: o.id(), action: o.action(), isSend: o.isSend(), tags: o.tags().all().map((t) => t.name()) })),
      messages: c.messages().all().map((m) => {
        const id = m.id();
        const format = m.schemaFormat();
        return {
          id: id && !/^<anonymous-message-\d+>$/.test(id) ? id : undefined,
          name: m.name(),
          title: m.title(),
          summary: m.summary(),
          description: m.description(),
          contentType: m.contentType(),
          schemaFormat: format && !/^application\/vnd\.aai\.asyncapi/.test(format) ? format : undefined,
          payload: circular ? 'circular' : m.payload()?.json(),
        };
      }),
    })),
  });
}

function ourView(doc: SpecDocument): unknown {
  const circular = JSON.stringify(doc.channels.map((c) => c.messages.map((m) => m.payload)) ?? []).includes('"$ref"');
  return comparable({
    version: doc.version,
    info: doc.info,
    meshform: doc.extension('x-meshform'),
    channels: doc.channels.map((c) => ({
      ...c,
      messages: c.messages.map((m) => ({
        ...m,
        schemaFormat: m.schemaFormat && !/^application\/vnd\.aai\.asyncapi/.test(m.schemaFormat) ? m.schemaFormat : undefined,
        payload: circular ? 'circular' : m.payload,
      })),
    })),
  });
}

/** JSON as compared: `x-parser-*` keys and undefined values dropped. */
function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key.startsWith('x-parser-') ? undefined : v)));
}
