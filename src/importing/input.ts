/**
 * Reading an input file of another tool (YAML or JSON): its value, and where each part is written,
 * so a problem in it is reported at file:line:col like a problem in a spec.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Diagnostic, type SourceLocation, error } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { isRecord } from '../reading/extension';
import { describeFsError } from '../reading/files';
import { type JsonPath, type SpecSource, locate, parseSource } from '../reading/source';

export class InputError extends Error {}

export interface InputFile {
  source: SpecSource;
  /** Where the node at a path is written (its key with `key`). */
  at(path: JsonPath, options?: { key?: boolean }): SourceLocation;
  /** An MF-IMPORT-FORMAT error at a path. */
  problem(message: string, path: JsonPath, options?: { key?: boolean }): Diagnostic;
}

/** Reads and parses a file; a file that cannot be read is an InputError (exit 2), a syntax error a diagnostic. */
export function readInput(file: string, cwd: string): { input?: InputFile; diagnostics: Diagnostic[] } {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  const source = parseSource(absolute, path.relative(cwd, absolute) || absolute, text);
  if (source.syntaxErrors.length > 0) return { diagnostics: source.syntaxErrors };
  const at = (p: JsonPath, options?: { key?: boolean }) => locate(source, p, options);
  return { input: { source, at, problem: (message, p, options) => error(CODES.importFormat, message, at(p, options)) }, diagnostics: [] };
}

/** A string, or undefined (numbers and booleans as written, YAML's loose scalars). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function entries(value: unknown): Array<[string, unknown]> {
  return isRecord(value) ? Object.entries(value) : [];
}

/** A positive whole number from a number or a numeric string, else undefined. */
export function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Config values as Kafka strings (`cleanup.policy: [compact, delete]` -> `compact,delete`). */
export function configStrings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of entries(value)) {
    const s = Array.isArray(v) ? v.map(String).join(',') : text(v);
    if (s !== undefined) out[k] = s;
  }
  return out;
}
