import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import specs from '@asyncapi/specs';
import { createAjv } from '../../src/reading/asyncapi/ajv';

type CacheModule = typeof import('../../src/reading/asyncapi/validator-cache');

/** The module as a new process sees it: nothing compiled or loaded yet. */
function newProcess(): CacheModule {
  let fresh: CacheModule | undefined;
  jest.isolateModules(() => {
    fresh = require('../../src/reading/asyncapi/validator-cache') as CacheModule;
  });
  if (!fresh) throw new Error('module did not load');
  return fresh;
}

const schema = {
  type: 'object',
  required: ['id', 'at'],
  properties: { id: { type: 'string', format: 'uuid' }, at: { type: 'string', format: 'date-time' }, ref: { type: 'string', format: 'uri-reference' } },
};
const valid = { id: '6f1c2a1e-9d7b-4c53-9a43-2b8f3f0f6d11', at: '2024-05-01T10:00:00Z', ref: '#/a' };
const invalid = { id: 'nope', at: 'yesterday' };

describe('validators kept on disk as standalone code', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshform-validators-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const jsFiles = () => fs.readdirSync(dir).filter((f) => f.endsWith('.js'));

  it('compiles once, then loads the written code in the next process, with the same verdicts and errors', () => {
    const first = newProcess();
    const compiled = first.cachedValidator('test-event', schema, true, dir);
    expect(first.validatorCacheStats()).toMatchObject({ compiled: 1, loaded: 0 });
    expect(first.cachedValidator('test-event', schema, true, dir)).toBe(compiled);
    expect(jsFiles()).toHaveLength(1);

    const second = newProcess();
    const loaded = second.cachedValidator('test-event', schema, true, dir);
    expect(second.validatorCacheStats()).toMatchObject({ compiled: 0, loaded: 1 });
    expect(loaded).not.toBe(compiled);
    for (const value of [valid, invalid]) {
      expect(loaded(value)).toBe(compiled(value));
      expect(loaded.errors).toEqual(compiled.errors);
    }
    expect(loaded(valid)).toBe(true);
    expect(loaded(invalid)).toBe(false);
    expect(loaded.errors?.map((e) => e.instancePath).sort()).toEqual(['/at', '/id']);
  });

  it('keys files by schema and error mode, and drops stale files of the same validator', () => {
    const { cachedValidator } = newProcess();
    cachedValidator('test-event', schema, true, dir);
    cachedValidator('test-event', schema, false, dir);
    expect(jsFiles()).toHaveLength(2);
    cachedValidator('test-event', { ...schema, required: ['id'] }, true, dir);
    expect(jsFiles()).toHaveLength(2);
    expect(newProcess().cachedValidator('test-event', { ...schema, required: ['id'] }, true, dir)({ id: valid.id })).toBe(true);
  });

  it('rebuilds a corrupt file', () => {
    newProcess().cachedValidator('test-event', schema, true, dir);
    const [file] = jsFiles();
    fs.writeFileSync(path.join(dir, file), 'module.exports = ');
    const next = newProcess();
    const rebuilt = next.cachedValidator('test-event', schema, true, dir);
    expect(next.validatorCacheStats()).toMatchObject({ compiled: 1, loaded: 0 });
    expect(rebuilt(invalid)).toBe(false);
    expect(fs.readFileSync(path.join(dir, file), 'utf8')).toContain('module.exports = validate');
  });

  it('works without a writable cache folder', () => {
    const unwritable = path.join(dir, 'a-file');
    fs.writeFileSync(unwritable, '');
    const validate = newProcess().cachedValidator('test-event', schema, true, path.join(unwritable, 'cache'));
    expect(validate(valid)).toBe(true);
    expect(validate(invalid)).toBe(false);
  });

  it('gives the AsyncAPI 2.6.0 schema the same verdicts and errors as an in-memory compile', () => {
    const official = JSON.parse(JSON.stringify(specs.schemas['2.6.0'])) as { definitions: Record<string, unknown> };
    delete official.definitions['http://json-schema.org/draft-07/schema'];
    delete official.definitions['http://json-schema.org/draft-04/schema'];
    newProcess().cachedValidator('asyncapi-2.6.0-test', official, true, dir);
    const fromDisk = newProcess().cachedValidator('asyncapi-2.6.0-test', official, true, dir);
    const inMemory = createAjv().compile(official);
    const documents = [
      { asyncapi: '2.6.0', info: { title: 'x', version: '1' }, channels: { a: { subscribe: { message: { payload: { type: 'string' } } } } } },
      { asyncapi: '2.6.0', info: { title: 'x' }, channels: { a: { subscribe: { bindings: { kafka: {} } }, extra: 1 } } },
      { asyncapi: '2.6.0', info: { title: 'x', version: '1', contact: { email: 'not an email', url: 'x y' } }, channels: {} },
    ];
    for (const document of documents) {
      expect(fromDisk(document)).toBe(inMemory(document));
      expect(fromDisk.errors).toEqual(inMemory.errors);
    }
    expect(documents.map((d) => inMemory(d))).toEqual([true, false, false]);
  });
});
