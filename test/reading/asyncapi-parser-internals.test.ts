/**
 * The contract src/reading/parser.ts holds with @asyncapi/parser's internals (`@asyncapi/parser/cjs/*`,
 * not its public API): it is the only file that requires them, each deep module exists and exports
 * what it calls, and the model it builds from a fixed, already resolved spec reads as written here
 * by hand, and as the parser's own public `Parser.parse` reads the same text. When an upgrade
 * changes shape, this fails with a message naming the module, before the corpus suites do.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { buildModel } from '../../src/reading/parser';

const ROOT = join(__dirname, '..', '..');
const FENCE = 'src/reading/parser.ts';
const INSTALLED = (require('@asyncapi/parser/package.json') as { version: string }).version;
const PINNED_LINE = '3.6.';
const CHANGED = `@asyncapi/parser ${INSTALLED} is installed; ${FENCE} is written against ${PINNED_LINE}x internals`;

const CONTRACT: Record<string, string[]> = {
  '@asyncapi/parser/cjs/document': ['createAsyncAPIDocument'],
  '@asyncapi/parser/cjs/stringify': ['copy'],
  '@asyncapi/parser/cjs/custom-operations/apply-unique-ids': ['applyUniqueIds'],
  '@asyncapi/parser/cjs/custom-operations/apply-traits': ['applyTraitsV2', 'applyTraitsV3'],
  '@asyncapi/parser/cjs/custom-operations/check-circular-refs': ['checkCircularRefs'],
  '@asyncapi/parser/cjs/utils': ['createDetailedAsyncAPI', 'setExtension'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** A 3.0 spec, its `$ref`s resolved by hand into shared objects (what `resolveRefs` hands over), and the same as text with refs. */
function v3() {
  const payload = { type: 'object', properties: { id: { type: 'string' } } };
  const message = { name: 'Placed', payload };
  const channel = { address: '_public.placed', messages: { placed: message } };
  const resolved = {
    asyncapi: '3.0.0',
    id: 'urn:acme:orders',
    info: { title: 'Orders', version: '1.0.0' },
    channels: { placed: channel },
    operations: {
      sendPlaced: {
        action: 'send',
        channel,
        messages: [message],
        traits: [{ tags: [{ name: 'grant-access:urn:acme:billing' }] }],
      },
    },
  };
  const text = JSON.stringify({
    ...resolved,
    channels: { placed: { address: '_public.placed', messages: { placed: { name: 'Placed', payload } } } },
    operations: {
      sendPlaced: {
        action: 'send',
        channel: { $ref: '#/channels/placed' },
        messages: [{ $ref: '#/channels/placed/messages/placed' }],
        traits: [{ tags: [{ name: 'grant-access:urn:acme:billing' }] }],
      },
    },
  });
  return { resolved, text };
}

/** A 2.6 spec whose operation trait carries the tag. */
function v2() {
  const spec = {
    asyncapi: '2.6.0',
    id: 'urn:acme:orders',
    info: { title: 'Orders', version: '1.0.0' },
    channels: {
      '_public.placed': {
        subscribe: { operationId: 'placed', message: { name: 'Placed', payload: { type: 'string' } }, traits: [{ tags: [{ name: 'grant-access:urn:acme:billing' }] }] },
      },
    },
  };
  return { resolved: spec, text: JSON.stringify(spec) };
}

/** What meshform reads from a model, in plain values. */
function reading(document: AsyncAPIDocumentInterface) {
  return {
    version: document.version(),
    id: document.info().id(),
    channels: document.channels().all().map((c) => ({ id: c.id(), address: c.address() })),
    operations: document
      .operations()
      .all()
      .map((o) => ({ action: o.action(), channel: o.channels().all().map((c) => c.id()), tags: o.tags().all().map((t) => t.name()) })),
    messages: document.allMessages().all().map((m) => m.name()),
  };
}

describe(`@asyncapi/parser internals ${FENCE} relies on`, () => {
  test(`the installed parser is ${PINNED_LINE}x`, () => {
    expect(`${INSTALLED}: ${INSTALLED.startsWith(PINNED_LINE) ? 'ok' : CHANGED}`).toBe(`${INSTALLED}: ok`);
  });

  test(`only ${FENCE} requires @asyncapi/parser/cjs/*, and every module it requires is in this contract`, () => {
    const outside: string[] = [];
    const required = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const rel = relative(ROOT, file);
      for (const m of readFileSync(file, 'utf8').matchAll(/['"](@asyncapi\/parser\/[^'"]+)['"]/g)) {
        if (rel !== FENCE) outside.push(`${rel}: ${m[1]}`);
        required.add(m[1]);
      }
    }
    expect(outside).toEqual([]);
    expect([...required].filter((p) => !(p in CONTRACT)).map((p) => `${p}: required by ${FENCE}, not checked here`)).toEqual([]);
  });

  test('each deep module exists and exports the functions parser.ts calls', () => {
    const problems: string[] = [];
    for (const [path, names] of Object.entries(CONTRACT)) {
      let module: Record<string, unknown>;
      try {
        module = require(path);
      } catch (e) {
        problems.push(`${path}: cannot be loaded: ${(e as Error).message.split('\n')[0]}. ${CHANGED}`);
        continue;
      }
      for (const name of names) if (typeof module[name] !== 'function') problems.push(`${path}: ${name} is ${typeof module[name]}, not a function. ${CHANGED}`);
    }
    expect(problems).toEqual([]);
  });

  test.each([
    ['3.0', v3, 'send'],
    ['2.6', v2, 'subscribe'],
  ])('a %s model reads as written, traits applied, and as Parser.parse reads the same text', async (_, spec, action) => {
    const { resolved, text } = spec();
    const built = buildModel(resolved, text, 'orders.yaml', true);
    expect(built.errors).toEqual([]);
    const expected = {
      version: resolved.asyncapi,
      id: 'urn:acme:orders',
      channels: [{ id: resolved.asyncapi === '3.0.0' ? 'placed' : '_public.placed', address: '_public.placed' }],
      operations: [{ action, channel: [resolved.asyncapi === '3.0.0' ? 'placed' : '_public.placed'], tags: ['grant-access:urn:acme:billing'] }],
      messages: ['Placed'],
    };
    expect(reading(built.document!)).toEqual(expected);
    expect(built.document!.extensions().get('x-parser-spec-parsed')?.value()).toBe(true);

    const { document, diagnostics } = await new Parser().parse(text);
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(reading(document!)).toEqual(expected);
  });

  test('a $ref left after resolution (a cycle) marks the model circular, as the parser does', () => {
    const { resolved, text } = v3();
    const cyclic = structuredClone(resolved);
    (cyclic.channels.placed.messages.placed.payload.properties as Record<string, unknown>).self = { $ref: '#/channels/placed/messages/placed/payload' };
    const built = buildModel(cyclic, text, 'orders.yaml', true);
    expect(built.document!.extensions().get('x-parser-circular')?.value()).toBe(true);
    expect(buildModel(resolved, text, 'orders.yaml', false).document!.extensions().get('x-parser-circular')).toBeUndefined();
  });

  test('fresh = false leaves the caller\'s structure untouched (the parser\'s copy), fresh = true lets the model own it', () => {
    const { resolved, text } = v2();
    const before = JSON.stringify(resolved);
    buildModel(resolved, text, 'orders.yaml', false);
    expect(JSON.stringify(resolved)).toBe(before);
    buildModel(resolved, text, 'orders.yaml', true);
    expect(JSON.stringify(resolved)).not.toBe(before);
  });
});
