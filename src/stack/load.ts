/**
 * Reads `stacks/Pulumi.<stack>.yaml`, the Pulumi stack file, without the Pulumi CLI.
 * Only the `config:` map matters to meshform; Pulumi's own top-level keys are accepted as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type Node } from 'yaml';
import { error, warning, type Diagnostic, type SourceLocation } from '../vocabulary/diagnostics';
import { didYouMean, nearest } from '../suggest';
import { buildStackConfig, type ConfigEntry } from './settings';
import type { StackConfig } from './types';

/** Top-level keys Pulumi writes into stack files. */
const PULUMI_FILE_KEYS = new Set(['config', 'encryptionsalt', 'secretsprovider', 'encryptedkey', 'environment']);

/** Pulumi's own rule for stack names. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export const STACK_DIR = 'stacks';

export function stackFile(stackName: string, root = process.cwd()): string {
  return path.join(root, STACK_DIR, `Pulumi.${stackName}.yaml`);
}

export function loadStack(
  stackName: string,
  options: { root?: string; env?: NodeJS.ProcessEnv } = {},
): { stack?: StackConfig; diagnostics: Diagnostic[] } {
  const root = options.root ?? process.cwd();
  const env = options.env ?? process.env;
  if (!STACK_NAME.test(stackName)) {
    return { diagnostics: [error('MF-STACK-NAME', `'${stackName}' is not a stack name (letters, digits, '-', '_', '.')`)] };
  }
  const absolute = stackFile(stackName, root);
  const file = displayPath(absolute);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch {
    const known = listStacks(root);
    const hint = known.length ? `${didYouMean(stackName, known)}; stacks: ${known.join(', ')}` : '';
    return { diagnostics: [error('MF-STACK-MISSING', `no stack '${stackName}': ${file} not found${hint}`)] };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const nodeAt = (node: Node | null | undefined): SourceLocation | undefined => (node?.range ? at(node.range[0]) : undefined);
  const start: SourceLocation = { file, line: 1, col: 1 };

  if (doc.errors.length) {
    return { diagnostics: doc.errors.map((e) => error('MF-STACK-YAML', e.message.split('\n')[0], at(e.pos[0]))) };
  }
  const diagnostics: Diagnostic[] = [];
  const entries: ConfigEntry[] = [];
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { diagnostics: [error('MF-STACK-SHAPE', 'a stack file is a map with a config: section', nodeAt(doc.contents) ?? start)] };
  }
  for (const pair of doc.contents?.items ?? []) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyLocation = nodeAt(pair.key as Node) ?? start;
    if (!PULUMI_FILE_KEYS.has(key)) {
      const near = nearest(key, PULUMI_FILE_KEYS);
      diagnostics.push(warning('MF-STACK-KEY', `unknown top-level key '${key}' (${near ? `did you mean ${near}?` : 'meshform settings go under config:'})`, keyLocation));
      continue;
    }
    if (key !== 'config' || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) continue;
    if (!isMap(pair.value)) {
      diagnostics.push(error('MF-STACK-SHAPE', 'config: must be a map of <namespace>:<key> to value', nodeAt(pair.value as Node) ?? keyLocation));
      continue;
    }
    for (const item of pair.value.items) {
      const itemKey = item.key as Node;
      entries.push({
        key: isScalar(itemKey) ? String(itemKey.value) : String(itemKey),
        value: (item.value as Node | null)?.toJSON() ?? null,
        keyLocation: nodeAt(itemKey),
        valueLocation: nodeAt(item.value as Node | null),
      });
    }
  }

  const built = buildStackConfig(stackName, entries, env, { kind: 'file', location: start });
  return { stack: built.stack, diagnostics: [...diagnostics, ...built.diagnostics] };
}

/**
 * The same checks on config as the Pulumi runtime holds it (`pulumi.runtime.allConfig()`:
 * `meshform:<key>` -> string, secrets already decrypted), for the Pulumi program.
 */
export function stackFromPulumiConfig(
  stackName: string,
  config: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): { stack?: StackConfig; diagnostics: Diagnostic[] } {
  const entries = Object.keys(config)
    .sort()
    .map((key) => ({ key, value: config[key] }));
  return buildStackConfig(stackName, entries, env, { kind: 'pulumi' });
}

/** Stack names that have a file in `<root>/stacks`, sorted. */
export function listStacks(root = process.cwd()): string[] {
  let files: string[];
  try {
    files = fs.readdirSync(path.join(root, STACK_DIR));
  } catch {
    return [];
  }
  return files
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** Relative to the working directory when inside it, so editors can open `file:line:col`. */
function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}
