/** Spec trees written to a temporary folder, for tests that change a mesh between runs. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempTree {
  dir: string;
  /** Writes (or replaces) files, by path relative to the folder. */
  write(files: Record<string, string>): void;
  /** Removes files. */
  remove(...files: string[]): void;
  cleanup(): void;
}

export function tempTree(files: Record<string, string> = {}): TempTree {
  const dir = mkdtempSync(join(tmpdir(), 'meshform-schemas-'));
  const tree: TempTree = {
    dir,
    write(more) {
      for (const [file, text] of Object.entries(more)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
    },
    remove(...names) {
      for (const name of names) rmSync(join(dir, name), { force: true });
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  tree.write(files);
  return tree;
}

/** An Avro record schema as `.avsc` text. */
export function avroRecord(name: string, fields: Array<{ name: string; type: unknown; default?: unknown }>): string {
  return `${JSON.stringify({ type: 'record', name, namespace: 'acme', fields }, null, 2)}\n`;
}

/**
 * A product spec (AsyncAPI 3.0) with one Avro topic (payload `$ref`'d from schemas/<topic>.avsc,
 * key schema `key`) and one JSON Schema topic (`json` payload inline).
 */
export function productSpec(options: {
  id: string;
  avroKey?: unknown;
  json?: unknown;
  jsonCompatibility?: string;
  extraAvroTopic?: boolean;
}): string {
  const lines = [
    'asyncapi: 3.0.0',
    `id: urn:${options.id.replace(/\./g, ':')}`,
    'info: {title: Orders, version: 1.0.0}',
    'x-meshform:',
    '  owners: [user:alice@acme.com]',
    'channels:',
    '  placed:',
    '    address: _public.placed',
    '    messages:',
    '      placed:',
    '        payload:',
    '          schemaFormat: application/vnd.apache.avro;version=1.9.0',
    "          schema: {$ref: './schemas/placed.avsc'}",
  ];
  if (options.avroKey !== undefined) {
    lines.push('        bindings:', '          kafka:', `            key: ${JSON.stringify(options.avroKey)}`);
  }
  if (options.json !== undefined) {
    lines.push('  state:', '    address: _protected.state');
    if (options.jsonCompatibility) lines.push('    x-meshform:', `      compatibility: ${options.jsonCompatibility}`);
    lines.push('    messages:', '      state:', `        payload: ${JSON.stringify(options.json)}`);
  }
  if (options.extraAvroTopic) {
    lines.push(
      '  audit:',
      '    address: _private.audit',
      '    messages:',
      '      audit:',
      '        payload:',
      '          schemaFormat: application/vnd.apache.avro;version=1.9.0',
      "          schema: {type: record, name: Audit, fields: [{name: at, type: long}]}",
    );
  }
  lines.push('operations:', "  sendPlaced: {action: send, channel: {$ref: '#/channels/placed'}}");
  if (options.json !== undefined) lines.push("  sendState: {action: send, channel: {$ref: '#/channels/state'}}");
  if (options.extraAvroTopic) lines.push("  sendAudit: {action: send, channel: {$ref: '#/channels/audit'}}");
  return `${lines.join('\n')}\n`;
}
