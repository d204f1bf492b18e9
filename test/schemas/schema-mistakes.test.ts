/**
 * The schema mistakes product teams make, each reported once, at the place it is written (the
 * schema file or the payload inline in the spec), with a message that says what was meant. Every
 * line, column and code below was counted by hand from the fixture files.
 */
import * as path from 'node:path';
import { loadMesh } from '../../src/model';

const cwd = path.resolve(__dirname, '../..');
const CASES = path.join(cwd, 'test/fixtures/schema-mistakes');

interface Expected {
  code: string;
  /** In the case folder. */
  file: string;
  line: number;
  col: number;
  says: string;
}

const MISTAKES: Record<string, Expected> = {
  'avro-type-integer': { code: 'MF-SCHEMA-INVALID', file: 'order.avsc', line: 6, col: 34, says: 'unknown Avro type "integer" (did you mean "int"?)' },
  'avro-type-typo-inline': { code: 'MF-SCHEMA-INVALID', file: 'spec.yaml', line: 18, col: 23, says: 'unknown Avro type "strnig" (did you mean "string"?)' },
  'avro-field-without-type': { code: 'MF-SCHEMA-INVALID', file: 'order.avsc', line: 6, col: 5, says: 'the field "placedAt" needs a "type"' },
  'avro-duplicate-field': { code: 'MF-SCHEMA-INVALID', file: 'order.avsc', line: 7, col: 14, says: 'the field "orderId" is declared twice' },
  'avro-default-wrong-type': { code: 'MF-SCHEMA-INVALID', file: 'spec.yaml', line: 18, col: 54, says: 'the default "one" does not fit the field\'s type' },
  'avro-union-default-not-first': { code: 'MF-SCHEMA-INVALID', file: 'order.avsc', line: 6, col: 63, says: "a union's default must fit its first branch" },
  'avro-enum-symbol-twice': { code: 'MF-SCHEMA-INVALID', file: 'order.avsc', line: 6, col: 92, says: 'the symbol "NEW" is listed twice' },
  'avro-array-without-items': { code: 'MF-SCHEMA-INVALID', file: 'order.avsc', line: 6, col: 23, says: 'an array needs "items"' },
  'avro-named-type-used-before-defined': { code: 'MF-SCHEMA-INVALID', file: 'order.avsc', line: 6, col: 33, says: 'the type "Address" is used before it is defined' },
  'avro-attribute-typo': { code: 'MF-SCHEMA-SUSPECT', file: 'order.avsc', line: 6, col: 43, says: 'unknown attribute "defualt" in a record field (did you mean "default"?)' },
  'avro-json-missing-comma': { code: 'MF-SYNTAX', file: 'order.avsc', line: 4, col: 3, says: 'JSON syntax: a comma is missing before this entry' },
  'json-type-int-inline': { code: 'MF-SCHEMA-INVALID', file: 'spec.yaml', line: 15, col: 30, says: '"int" is not a JSON Schema type (did you mean "integer"?)' },
  'json-type-list-typo': { code: 'MF-SCHEMA-INVALID', file: 'order.json', line: 5, col: 35, says: '"nul" is not a JSON Schema type (did you mean "null"?)' },
  'json-keyword-typo': { code: 'MF-SCHEMA-SUSPECT', file: 'order.json', line: 6, col: 3, says: 'unknown keyword "requird" (did you mean "required"?)' },
  'json-file-unclosed': { code: 'MF-SYNTAX', file: 'order.json', line: 6, col: 1, says: 'JSON syntax: the file ends inside an object or list' },
  'json-minimum-not-number': { code: 'MF-SCHEMA-INVALID', file: 'spec.yaml', line: 16, col: 24, says: 'minimum must be number' },
  'proto-type-int': { code: 'MF-SCHEMA-INVALID', file: 'order.proto', line: 6, col: 3, says: 'unknown type "int" in message acme.orders.OrderPlaced (did you mean "int32"?)' },
  'proto-missing-semicolon': { code: 'MF-SCHEMA-INVALID', file: 'order.proto', line: 4, col: 22, says: "';' expected (after 1)" },
  'proto-number-twice': { code: 'MF-SCHEMA-INVALID', file: 'order.proto', line: 6, col: 19, says: 'field number 2 is used twice in message OrderPlaced' },
  'proto-enum-first-not-zero-inline': { code: 'MF-SCHEMA-INVALID', file: 'spec.yaml', line: 16, col: 21, says: 'the first value of enum State is 1: in proto3 it must be 0' },
  'proto-field-number-zero': { code: 'MF-SCHEMA-INVALID', file: 'order.proto', line: 4, col: 21, says: 'field order_id has number 0' },
  'asyncapi-key-typo': { code: 'asyncapi-document-resolved', file: 'spec.yaml', line: 8, col: 5, says: 'Property "adress" is not expected to be here (did you mean "address"?)' },
  'asyncapi-action-typo': { code: 'asyncapi-document-resolved', file: 'spec.yaml', line: 14, col: 13, says: '(did you mean "send"?)' },
};

describe('schema mistakes: one diagnostic each, at the field, saying what was meant', () => {
  it('covers at least 20 mistakes', () => {
    expect(Object.keys(MISTAKES).length).toBeGreaterThanOrEqual(20);
  });

  it.each(Object.entries(MISTAKES))('%s', async (name, expected) => {
    const folder = path.join(CASES, name);
    const { diagnostics, mesh } = await loadMesh([folder], { cwd });
    const file = path.relative(cwd, path.join(folder, expected.file));
    expect(diagnostics.map((d) => `${d.code} ${d.location?.file}:${d.location?.line}:${d.location?.col}`)).toEqual([`${expected.code} ${file}:${expected.line}:${expected.col}`]);
    expect(diagnostics[0].message).toContain(expected.says);
    // A likely typo in a valid schema warns; every other mistake keeps the mesh from being used.
    expect(mesh === undefined).toBe(expected.code !== 'MF-SCHEMA-SUSPECT');
  });
});
