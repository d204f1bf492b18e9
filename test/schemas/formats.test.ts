/**
 * Each schema format's module (src/schemas): which format a `schemaFormat` names, validation, the
 * registered text, why a reader cannot read a writer (the exact words `meshform breaking` and the
 * registry pre-check print), and the field list. Expected values are written by hand; whether the
 * verdicts agree with a real registry is compat-verdicts.test.ts's and compat-oracle.test.ts's job.
 */
import { compatibilityProblems, directions, FORMATS, schemaTypeOf } from '../../src/schemas';
import { sortedJson } from '../../src/schemas/sorted-json';

const avro = FORMATS.AVRO;
const json = FORMATS.JSON;
const proto = FORMATS.PROTOBUF;

describe('schemaTypeOf', () => {
  it.each([
    [undefined, 'JSON'],
    ['application/vnd.aai.asyncapi;version=3.0.0', 'JSON'],
    ['application/vnd.aai.asyncapi+json;version=2.6.0', 'JSON'],
    ['application/vnd.aai.asyncapi+yaml;version=3.0.0', 'JSON'],
    ['application/schema+json;version=draft-07', 'JSON'],
    ['application/schema+yaml;version=draft-07', 'JSON'],
    ['application/schema;version=draft-07', 'JSON'],
    ['application/vnd.apache.avro;version=1.9.0', 'AVRO'],
    ['application/vnd.apache.avro+json;version=1.9.0', 'AVRO'],
    ['APPLICATION/VND.APACHE.AVRO+YAML ; version=1.9.0', 'AVRO'],
    ['application/vnd.google.protobuf', 'PROTOBUF'],
    ['application/vnd.google.protobuf;version=3', 'PROTOBUF'],
    ['application/raml+yaml;version=1.0', undefined],
    ['application/vnd.oai.openapi;version=3.0.0', undefined],
    ['application/vnd.apache.avro+xml', undefined],
    ['xapplication/schema+json', undefined],
    ['application/vnd.google.protobuf+json', undefined],
    // Whole media types only: nothing before, nothing after (each anchor found missing by `npm run mutate -- schemas`).
    ['x-application/vnd.aai.asyncapi', undefined],
    ['application/vnd.aai.asyncapi+jsonx', undefined],
    ['application/schema+jsonx', undefined],
    ['x-application/vnd.apache.avro', undefined],
    ['x-application/vnd.google.protobuf', undefined],
  ])('%s is %s', (format, type) => {
    expect(schemaTypeOf(format)).toBe(type);
  });
});

describe('directions of a level', () => {
  it.each([
    ['BACKWARD', true, false],
    ['BACKWARD_TRANSITIVE', true, false],
    ['FORWARD', false, true],
    ['FORWARD_TRANSITIVE', false, true],
    ['FULL', true, true],
    ['FULL_TRANSITIVE', true, true],
    ['NONE', false, false],
  ] as const)('%s: backward %s, forward %s', (level, backward, forward) => {
    expect(directions(level)).toEqual({ backward, forward });
  });

  it('phrases each direction for people, and NONE checks nothing', () => {
    const before = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    const after = { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false };
    expect(compatibilityProblems('JSON', 'BACKWARD', before, after)).toEqual(['new schema cannot read older messages: /properties/a: type changed from string to integer']);
    expect(compatibilityProblems('JSON', 'FORWARD', before, after)).toEqual(['older consumers cannot read new messages: /properties/a: type changed from integer to string']);
    expect(compatibilityProblems('JSON', 'FULL', before, after)).toHaveLength(2);
    expect(compatibilityProblems('JSON', 'NONE', before, after)).toEqual([]);
  });
});

describe('sortedJson', () => {
  it('sorts keys at every depth, keeps array order, drops undefined members', () => {
    expect(sortedJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(sortedJson('x')).toBe('"x"');
    expect(sortedJson(null)).toBe('null');
    expect(sortedJson([])).toBe('[]');
  });
});

describe('Avro', () => {
  const rec = (fields: unknown[], name = 'R') => ({ type: 'record', name, namespace: 'acme', fields });

  it('validates with avsc and says what is wrong', () => {
    expect(avro.validate(rec([{ name: 'a', type: 'string' }]))).toEqual([]);
    expect(avro.validate('string')).toEqual([]);
    expect(avro.validate(['null', 'string'])).toEqual([]);
    expect(avro.validate(null)).toEqual([{ message: 'an Avro schema is a JSON object, array (union) or type name' }]);
    expect(avro.validate(42)).toEqual([{ message: 'an Avro schema is a JSON object, array (union) or type name' }]);
    expect(avro.validate({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'strnig' }] })).toEqual([{ message: 'unknown Avro type "strnig" (did you mean "string"?)', path: ['fields', 0, 'type'] }]);
  });

  it('registers the schema as written, keys sorted, a bare primitive as its name', () => {
    expect(avro.canonical({ type: 'string' })).toBe('"string"');
    expect(avro.canonical({ type: 'string', logicalType: 'uuid' })).toBe('{"logicalType":"uuid","type":"string"}');
    expect(avro.canonical({ type: { type: 'string' } })).toBe('{"type":{"type":"string"}}');
    expect(avro.canonical(['null', 'string'])).toBe('["null","string"]');
    expect(avro.canonical(rec([{ name: 'a', type: 'string', doc: 'x' }]))).toBe('{"fields":[{"doc":"x","name":"a","type":"string"}],"name":"R","namespace":"acme","type":"record"}');
  });

  it('names the field a reader cannot read, with both types', () => {
    expect(avro.readProblems(rec([{ name: 'a', type: 'int' }]), rec([{ name: 'a', type: 'string' }]))).toEqual([expect.stringMatching(/^field a: string -> int \(/)]);
    expect(avro.readProblems(rec([{ name: 'a', type: 'string' }, { name: 'b', type: 'long' }]), rec([{ name: 'a', type: 'string' }]))).toEqual(['field b added without a default']);
    expect(avro.readProblems(rec([{ name: 'a', type: 'string' }, { name: 'b', type: 'long', default: 0 }]), rec([{ name: 'a', type: 'string' }]))).toEqual([]);
    expect(avro.readProblems(rec([{ name: 'a', type: 'long' }]), rec([{ name: 'a', type: 'int' }]))).toEqual([]);
    // A field found under an alias is read; one nested a level down is named with its path.
    expect(avro.readProblems(rec([{ name: 'b', aliases: ['a'], type: 'string' }]), rec([{ name: 'a', type: 'string' }]))).toEqual([]);
    const inner = (type: string) => rec([{ name: 'outer', type: rec([{ name: 'x', type }], 'Inner') }]);
    expect(avro.readProblems(inner('int'), inner('string'))).toEqual([expect.stringMatching(/^field outer\.x: string -> int \(/)]);
    // Not records: avsc's own words.
    expect(avro.readProblems('int', 'string')).toEqual([expect.any(String)]);
  });

  it('describes unions, arrays, maps and logical types in the problems and the field list', () => {
    const schema = rec([
      { name: 'id', type: 'string' },
      { name: 'tags', type: { type: 'array', items: 'string' } },
      { name: 'attrs', type: { type: 'map', values: 'long' } },
      { name: 'when', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'maybe', type: ['null', 'string'] },
      { name: 'lines', type: { type: 'array', items: rec([{ name: 'sku', type: 'string' }], 'Line') } },
      { name: 'byKey', type: { type: 'map', values: rec([{ name: 'n', type: 'int' }], 'Count') } },
      { name: 'either', type: ['null', rec([{ name: 'v', type: 'double' }], 'Val')] },
    ]);
    expect(Object.fromEntries(avro.fields(schema))).toEqual({
      id: 'string',
      tags: 'array<string>',
      attrs: 'map<long>',
      // avsc drops a logical type it has no implementation for (none are registered), so the field
      // list shows the underlying type: describe()'s logical-type suffix never applies (see the note).
      when: 'long',
      maybe: '[null, string]',
      lines: 'array<acme.Line>',
      'lines[].sku': 'string',
      byKey: 'map<acme.Count>',
      'byKey{}.n': 'int',
      either: '[null, acme.Val]',
      'either.v': 'double',
    });
    const changed = rec([{ name: 'maybe', type: { type: 'array', items: 'int' } }]);
    expect(avro.readProblems(changed, rec([{ name: 'maybe', type: ['null', 'string'] }]))).toEqual([expect.stringMatching(/^field maybe: \[null, string\] -> array<int> \(/)]);
  });

  it('lists a recursive record once per path', () => {
    const node = { type: 'record', name: 'Node', fields: [{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'Node'] }] };
    expect(Object.fromEntries(avro.fields(node))).toEqual({ v: 'int', next: '[null, Node]' });
  });
});

describe('JSON Schema', () => {
  const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
  const problems = (reader: unknown, writer: unknown) => json.readProblems(reader, writer);

  it('validates against the meta-schema of its $schema, with the path of the problem', () => {
    expect(json.validate(true)).toEqual([]);
    expect(json.validate(false)).toEqual([]);
    expect(json.validate(obj({ a: { type: 'string' } }))).toEqual([]);
    expect(json.validate('string')).toEqual([{ message: 'a JSON Schema is an object (or true/false)' }]);
    expect(json.validate([1])).toEqual([{ message: 'a JSON Schema is an object (or true/false)' }]);
    expect(json.validate(obj({ a: { type: 'strnig' } }))).toEqual([
      { message: '"strnig" is not a JSON Schema type (did you mean "string"?); the types are string, number, integer, boolean, object, array, null', path: ['properties', 'a', 'type'] },
    ]);
    expect(json.validate({ minLength: -1 })).toEqual([{ message: 'invalid JSON Schema: minLength must be >= 0', path: ['minLength'] }]);
    // 2019-09 and 2020-12 have their own vocabularies: $defs, dependentRequired, prefixItems.
    expect(json.validate({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{ type: 'string' }] })).toEqual([]);
    expect(json.validate({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: 'no' })).toEqual([expect.objectContaining({ path: ['prefixItems'] })]);
    expect(json.validate({ $schema: 'https://json-schema.org/draft/2019-09/schema', dependentRequired: { a: 'b' } })).toEqual([expect.objectContaining({ path: ['dependentRequired', 'a'] })]);
    expect(json.validate({ $schema: 'http://json-schema.org/draft-07/schema#', dependentRequired: { a: 'b' } })).toEqual([]);
    expect(json.validate({ $schema: 'http://json-schema.org/draft-06/schema#', type: 'string' })).toEqual([]);
  });

  it('a path segment holding / or ~ is unescaped', () => {
    expect(json.validate(obj({ 'a/b': { type: 1 }, 'c~d': { type: 2 } }))).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: ['properties', 'a/b', 'type'] }), expect.objectContaining({ path: ['properties', 'c~d', 'type'] })]),
    );
  });

  it('registers key-sorted JSON', () => {
    expect(json.canonical({ type: 'object', properties: { b: {}, a: {} } })).toBe('{"properties":{"a":{},"b":{}},"type":"object"}');
  });

  it.each([
    ['the same schema', obj({ a: { type: 'string' } }), obj({ a: { type: 'string' } }), []],
    ['a reader that takes anything', true, obj({ a: { type: 'string' } }), []],
    ['an empty reader', {}, obj({ a: { type: 'string' } }), []],
    ['a writer that writes nothing', obj({ a: { type: 'string' } }), false, []],
    ['a reader that takes nothing', false, obj({}), ['/: schema narrowed to false']],
    ['a type restricted', { type: 'string' }, {}, ['/: type restricted to string']],
    ['a type changed', { type: 'string' }, { type: 'integer' }, ['/: type changed from integer to string']],
    ['a union narrowed', { type: 'string' }, { type: ['string', 'null'] }, ['/: type changed from null|string to string']],
    ['integer read as number', { type: 'number' }, { type: 'integer' }, []],
    ['number read as integer', { type: 'integer' }, { type: 'number' }, ['/: type changed from number to integer']],
    ['a type from enum values', { type: 'string' }, { enum: ['a', 1] }, ['/: type changed from integer|string to string']],
    ['a type from const', { type: ['string', 'null'] }, { const: null }, []],
    ['an enum added', { enum: ['a'] }, {}, ['/: type restricted to string', '/: enum added']],
    ['an enum narrowed', { enum: ['a'] }, { enum: ['a', 'b', 3] }, ['/: type changed from integer|string to string', '/: enum no longer allows "b", 3']],
    ['an enum widened', { enum: ['a', 'b'] }, { enum: ['a'] }, []],
    ['a const read by an enum', { enum: ['a', 'b'] }, { const: 'b' }, []],
    ['a const that the enum lacks', { enum: ['a'] }, { const: 'b' }, ['/: enum no longer allows "b"']],
    ['a const changed', { const: 'a' }, { const: 'b' }, ['/: const "a" added or changed']],
    ['a const added', { const: { x: 1 } }, {}, ['/: type restricted to object', '/: const {"x":1} added or changed']],
    ['maxLength lowered', { maxLength: 5 }, { maxLength: 10 }, ['/: maxLength 10 -> 5']],
    ['maxLength raised', { maxLength: 10 }, { maxLength: 5 }, []],
    ['maxLength added', { maxLength: 5 }, {}, ['/: maxLength 5 added']],
    ['minLength raised', { minLength: 3 }, { minLength: 1 }, ['/: minLength 1 -> 3']],
    ['minLength lowered', { minLength: 1 }, { minLength: 3 }, []],
    ['maximum lowered', { maximum: 9 }, { maximum: 10 }, ['/: maximum 10 -> 9']],
    ['minimum raised', { minimum: 1 }, { minimum: 0 }, ['/: minimum 0 -> 1']],
    ['exclusiveMaximum lowered', { exclusiveMaximum: 9 }, { exclusiveMaximum: 10 }, ['/: exclusiveMaximum 10 -> 9']],
    ['exclusiveMinimum raised', { exclusiveMinimum: 1 }, { exclusiveMinimum: 0 }, ['/: exclusiveMinimum 0 -> 1']],
    ['maxItems lowered', { maxItems: 1 }, { maxItems: 2 }, ['/: maxItems 2 -> 1']],
    ['minItems raised', { minItems: 2 }, { minItems: 1 }, ['/: minItems 1 -> 2']],
    ['maxProperties lowered', { maxProperties: 1 }, { maxProperties: 2 }, ['/: maxProperties 2 -> 1']],
    ['minProperties raised', { minProperties: 2 }, { minProperties: 1 }, ['/: minProperties 1 -> 2']],
    ['equal bounds', { minimum: 1, maximum: 2 }, { minimum: 1, maximum: 2, description: 'x' }, []],
    ['a pattern added', { pattern: '^a' }, {}, ['/: pattern "^a" added or changed']],
    ['a format changed', { format: 'email' }, { format: 'uri' }, ['/: format "email" added or changed']],
    ['multipleOf added', { multipleOf: 2 }, {}, ['/: multipleOf 2 added or changed']],
    ['a pattern dropped', {}, { pattern: '^a' }, []],
    ['uniqueItems added', { uniqueItems: true }, {}, ['/: uniqueItems added']],
    ['uniqueItems kept', { uniqueItems: true }, { uniqueItems: true, description: 'x' }, []],
    ['oneOf changed', { oneOf: [{ type: 'string' }] }, { oneOf: [{ type: 'integer' }] }, ['/: oneOf changed (not checked locally: keep it unchanged or check against the registry)']],
    ['not added', { not: { type: 'null' } }, {}, ['/: not changed (not checked locally: keep it unchanged or check against the registry)']],
    ['patternProperties changed', { patternProperties: { '^x': {} } }, {}, ['/: patternProperties changed (not checked locally: keep it unchanged or check against the registry)']],
    ['items retyped', { type: 'array', items: { type: 'string' } }, { type: 'array', items: { type: 'integer' } }, ['/items: type changed from integer to string']],
    ['items added', { type: 'array', items: { type: 'string' } }, { type: 'array' }, ['/items: schema narrowed to {"type":"string"}']],
    ['items dropped', { type: 'array' }, { type: 'array', items: { type: 'string' } }, []],
    ['tuple items changed', { type: 'array', items: [{ type: 'string' }] }, { type: 'array', items: [{ type: 'integer' }] }, ['/: tuple items changed (not checked locally)']],
    ['tuple items kept', { type: 'array', items: [{ type: 'string' }], description: 'x' }, { type: 'array', items: [{ type: 'string' }] }, []],
    ['a property retyped', obj({ a: { type: 'string' } }), obj({ a: { type: 'integer' } }), ['/properties/a: type changed from integer to string']],
    ['a nested property retyped', obj({ a: obj({ b: { type: 'string' } }) }), obj({ a: obj({ b: { type: 'boolean' } }) }), ['/properties/a/properties/b: type changed from boolean to string']],
    ['a property added to a closed writer', obj({ a: {}, b: { type: 'string' } }), obj({ a: {} }, { additionalProperties: false }), []],
    ['a property added to an open writer', obj({ a: {}, b: { type: 'string' } }), obj({ a: {} }), ['/properties/b: property added to an open content model (older messages may hold any value under "b")']],
    ['an untyped property added to an open writer', obj({ a: {}, b: {} }), obj({ a: {} }), []],
    ['a property added where the writer restricts the rest', obj({ b: { type: 'string' } }), obj({}, { additionalProperties: { type: 'string' } }), []],
    ['a property added where the writer restricts the rest otherwise', obj({ b: { type: 'string' } }), obj({}, { additionalProperties: { type: 'integer' } }), ['/properties/b: property added to an open content model (older messages may hold any value under "b")']],
    ['a property removed from a closed reader', obj({ a: {} }, { additionalProperties: false }), obj({ a: {}, b: {} }, { additionalProperties: false }), ['/properties/b: property removed from a closed content model']],
    ['a property removed from an open reader', obj({ a: {} }), obj({ a: {}, b: {} }), []],
    ['a property removed into a typed rest', obj({}, { additionalProperties: { type: 'string' } }), obj({ b: { type: 'integer' } }, { additionalProperties: false }), ['/properties/b: type changed from integer to string']],
    ['a property made required', obj({ a: {} }, { required: ['a'] }), obj({ a: {} }), ['/required: property "a" made required']],
    ['required kept', obj({ a: {} }, { required: ['a'] }), obj({ a: {} }, { required: ['a'], description: 'x' }), []],
    ['required dropped', obj({ a: {} }), obj({ a: {} }, { required: ['a'] }), []],
    ['a model closed', obj({ a: {} }, { additionalProperties: false }), obj({ a: {} }), ['/: additionalProperties: false added (the content model was open)']],
    ['a nested model closed', obj({ a: obj({}, { additionalProperties: false }) }), obj({ a: obj({}) }), ['/properties/a: additionalProperties: false added (the content model was open)']],
    ['a model opened', obj({ a: {} }), obj({ a: {} }, { additionalProperties: false }), []],
    ['the rest retyped', obj({}, { additionalProperties: { type: 'string' } }), obj({}, { additionalProperties: { type: 'integer' } }), ['/additionalProperties: type changed from integer to string']],
    ['the rest typed where it was open', obj({}, { additionalProperties: { type: 'string' } }), obj({}), ['/additionalProperties: schema narrowed to {"type":"string"}']],
    ['the rest typed where it was closed', obj({}, { additionalProperties: { type: 'string' } }), obj({}, { additionalProperties: false }), []],
  ] as Array<[string, unknown, unknown, string[]]>)('%s', (_name, reader, writer, expected) => {
    expect(problems(reader, writer)).toEqual(expected);
  });

  it('lists fields by dotted path with their types, into objects and array items', () => {
    const schema = obj({
      id: { type: 'string' },
      n: { type: ['integer', 'null'] },
      tags: { type: 'array', items: { type: 'string' } },
      lines: { type: 'array', items: obj({ sku: { enum: ['a', 'b'] } }) },
      any: {},
      yes: true,
      no: false,
      choice: { oneOf: [{ type: 'string' }] },
      either: { anyOf: [{ type: 'string' }] },
      constant: { const: 1.5 },
      nested: obj({ deep: { type: 'boolean' } }),
    });
    expect(Object.fromEntries(json.fields(schema))).toEqual({
      id: 'string',
      n: 'integer|null',
      tags: 'array<string>',
      lines: 'array<object>',
      'lines[].sku': 'string',
      any: 'any',
      yes: 'any',
      no: 'none',
      choice: 'oneOf',
      either: 'anyOf',
      constant: 'number',
      nested: 'object',
      'nested.deep': 'boolean',
    });
    expect(json.fields(true)).toEqual(new Map());
  });

  it('stops listing 32 levels down (a schema as deep as a spec can be)', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) schema = obj({ x: schema });
    const paths = [...json.fields(schema).keys()];
    expect(paths).toHaveLength(33);
    expect(paths[32]).toBe(Array(33).fill('x').join('.'));
  });
});

describe('Protobuf', () => {
  const p = (body: string, extra = '') => `syntax = "proto3";\npackage acme;\n${extra}\nmessage M {\n${body}\n}\n`;

  it('validates with protobufjs, with the line of a syntax error', () => {
    expect(proto.validate(p('  string a = 1;'))).toEqual([]);
    expect(proto.validate({ a: 1 })).toEqual([{ message: 'a Protobuf schema is .proto text (a string, or a $ref to a .proto file)' }]);
    expect(proto.validate('syntax = "proto3";\npackage acme;\nenum E { A = 0; }\n')).toEqual([{ message: 'the .proto defines no message' }]);
    // The missing `;` is found at the next token (the `}` of line 4) and placed where it belongs: after `  strin a = 1`, line 3 column 14.
    expect(proto.validate('syntax = "proto3";\nmessage M {\n  strin a = 1\n}\n')).toEqual([{ message: expect.stringMatching(/^invalid Protobuf schema: .*'}'/), line: 3, col: 14 }]);
    expect(proto.validate(p('  string a = 1;', 'import "other.proto";'))).toEqual([
      // Line 3 is the import; column 8 is its file name, after `import `.
      { message: 'invalid Protobuf schema: import "other.proto": only google/protobuf/* imports are supported; register a self-contained .proto', line: 3, col: 8 },
    ]);
    expect(proto.validate(p('  google.protobuf.Timestamp at = 1;', 'import "google/protobuf/timestamp.proto";'))).toEqual([]);
    // Line 5 is the field (syntax, package, the empty extra line, `message M {`); column 3 is its type.
    expect(proto.validate(p('  Missing m = 1;'))).toEqual([{ message: 'unknown type "Missing" in message acme.M', line: 5, col: 3 }]);
  });

  it('registers the text as written, line ends and trailing spaces normalised', () => {
    expect(proto.canonical('\r\nsyntax = "proto3";  \r\nmessage M {}\t\n\n')).toBe('syntax = "proto3";\nmessage M {}\n');
    expect(() => proto.canonical({})).toThrow('a Protobuf schema is .proto text');
  });

  it.each([
    ['the same', p('  string a = 1;'), p('  string a = 1;'), []],
    ['a field added', p('  string a = 1;\n  string b = 2;'), p('  string a = 1;'), []],
    ['a field removed', p('  string a = 1;'), p('  string a = 1;\n  string b = 2;'), ['acme.M.b (2): field removed without reserving its number']],
    ['a field removed, its number reserved', p('  string a = 1;\n  reserved 2;'), p('  string a = 1;\n  string b = 2;'), []],
    ['a field removed, a range reserved', p('  string a = 1;\n  reserved 2 to 5;'), p('  string a = 1;\n  string b = 5;'), []],
    ['a field removed, its name reserved', p('  string a = 1;\n  reserved "b";'), p('  string a = 1;\n  string b = 2;'), []],
    ['a field removed, another number reserved', p('  string a = 1;\n  reserved 3;'), p('  string a = 1;\n  string b = 2;'), ['acme.M.b (2): field removed without reserving its number']],
    ['a field number changed', p('  string a = 2;'), p('  string a = 1;'), ['acme.M.a: field number changed 1 -> 2']],
    ['a field renamed', p('  string b = 1;'), p('  string a = 1;'), ['acme.M field 1: renamed a -> b']],
    ['a type changed', p('  int64 a = 1;'), p('  int32 a = 1;'), ['acme.M.a (1): type changed from int32 to int64']],
    ['repeated added', p('  repeated string a = 1;'), p('  string a = 1;'), ['acme.M.a (1): type changed from string to repeated string']],
    ['a map value changed', p('  map<string, int64> a = 1;'), p('  map<string, int32> a = 1;'), ['acme.M.a (1): type changed from map<string, int32> to map<string, int64>']],
    ['a message type changed', p('  N a = 1;', 'message N { string x = 1; }\nmessage O { string x = 1; }'), p('  O a = 1;', 'message N { string x = 1; }\nmessage O { string x = 1; }'), ['acme.M.a (1): type changed from acme.O to acme.N']],
    ['a message removed', p('  string a = 1;'), p('  string a = 1;', 'message Gone { string x = 1; }'), ['message acme.Gone removed']],
    ['a nested message', p('  message In { int64 x = 1; }\n  In a = 1;'), p('  message In { int32 x = 1; }\n  In a = 1;'), ['acme.M.In.x (1): type changed from int32 to int64']],
  ] as Array<[string, string, string, string[]]>)('%s', (_name, reader, writer, expected) => {
    expect(proto.readProblems(reader, writer)).toEqual(expected);
  });

  it('lists fields by message, well-known types left out', () => {
    const schema = p('  string a = 1;\n  repeated int32 b = 2;\n  map<string, N> c = 3;\n  google.protobuf.Timestamp at = 4;', 'import "google/protobuf/timestamp.proto";\nmessage N { bool x = 1; }');
    expect(Object.fromEntries(proto.fields(schema))).toEqual({
      'acme.M.a': 'string',
      'acme.M.b': 'repeated int32',
      'acme.M.c': 'map<string, acme.N>',
      'acme.M.at': 'google.protobuf.Timestamp',
      'acme.N.x': 'bool',
    });
  });
});
