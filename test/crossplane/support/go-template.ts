/**
 * Just enough of Go's text/template (plus the sprig functions the Composition uses) to render the
 * Composition's inline template here, where no Go toolchain or Crossplane is available.
 * Anything outside that subset is an error, so the template cannot drift into constructs these
 * tests would silently mis-render. Besides rendering, `checkFieldPaths` walks every branch against
 * a JSON schema and reports fields the template reads that the schema does not define.
 */
import { createHash } from 'node:crypto';

type Operand =
  | { type: 'field'; variable?: string; path: string[] }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'pipeline'; pipeline: Pipeline };
type Command = { fn?: string; args: Operand[] };
type Pipeline = Command[];

type Node =
  | { type: 'text'; text: string }
  | { type: 'output'; pipeline: Pipeline }
  | { type: 'assign'; variable: string; pipeline: Pipeline }
  | { type: 'range'; variable: string; pipeline: Pipeline; body: Node[] }
  | { type: 'if'; pipeline: Pipeline; then: Node[]; else: Node[] };

const FUNCTIONS = ['printf', 'quote', 'toJson', 'sha256sum', 'trunc', 'eq'] as const;

export function parseTemplate(source: string): Node[] {
  const tokens = tokenize(source);
  let i = 0;
  function parseBlock(terminators: string[]): { nodes: Node[]; end: string } {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const token = tokens[i++];
      if (token.type === 'text') {
        if (token.text) nodes.push({ type: 'text', text: token.text });
        continue;
      }
      const action = token.text;
      const keyword = action.split(/\s+/)[0];
      if (terminators.includes(keyword)) return { nodes, end: keyword };
      if (keyword === 'range') {
        const m = /^range\s+(\$\w+)\s*:=\s*(.+)$/s.exec(action);
        if (!m) throw new Error(`unsupported range form: {{${action}}}`);
        const body = parseBlock(['end']);
        nodes.push({ type: 'range', variable: m[1], pipeline: parsePipeline(m[2]), body: body.nodes });
      } else if (keyword === 'if') {
        const then = parseBlock(['else', 'end']);
        const otherwise = then.end === 'else' ? parseBlock(['end']).nodes : [];
        nodes.push({ type: 'if', pipeline: parsePipeline(action.slice(2)), then: then.nodes, else: otherwise });
      } else if (/^\$\w+\s*:=/.test(action)) {
        const m = /^(\$\w+)\s*:=\s*(.+)$/s.exec(action)!;
        nodes.push({ type: 'assign', variable: m[1], pipeline: parsePipeline(m[2]) });
      } else if (['else', 'end', 'with', 'define', 'template', 'block'].includes(keyword)) {
        throw new Error(`unexpected or unsupported {{${action}}}`);
      } else {
        nodes.push({ type: 'output', pipeline: parsePipeline(action) });
      }
    }
    if (terminators.length) throw new Error(`missing {{${terminators.join('|')}}}`);
    return { nodes, end: '' };
  }
  return parseBlock([]).nodes;
}

function tokenize(source: string): { type: 'text' | 'action'; text: string }[] {
  const tokens: { type: 'text' | 'action'; text: string }[] = [];
  let rest = source;
  let trimNext = false;
  while (rest.length) {
    const open = rest.indexOf('{{');
    let text = open < 0 ? rest : rest.slice(0, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      tokens.push({ type: 'text', text });
      break;
    }
    const close = rest.indexOf('}}', open);
    if (close < 0) throw new Error('unterminated action');
    let action = rest.slice(open + 2, close);
    if (action.startsWith('- ')) text = text.replace(/\s+$/, '');
    trimNext = action.endsWith(' -');
    action = action.replace(/^- /, '').replace(/ -$/, '').trim();
    tokens.push({ type: 'text', text }, { type: 'action', text: action });
    rest = rest.slice(close + 2);
  }
  return tokens;
}

function parsePipeline(text: string): Pipeline {
  return splitTop(text.trim(), '|').map((command) => {
    const words = splitTop(command.trim(), ' ').filter((w) => w !== '');
    const [head, ...tail] = words;
    if ((FUNCTIONS as readonly string[]).includes(head)) return { fn: head, args: tail.map(parseOperand) };
    if (/^[a-zA-Z]/.test(head)) throw new Error(`unsupported function '${head}'`);
    if (tail.length) throw new Error(`unexpected arguments in '${command}'`);
    return { args: [parseOperand(head)] };
  });
}

/** Splits on a separator outside quotes and parentheses. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseOperand(word: string): Operand {
  if (word.startsWith('(') && word.endsWith(')')) return { type: 'pipeline', pipeline: parsePipeline(word.slice(1, -1)) };
  if (word.startsWith('"')) return { type: 'string', value: JSON.parse(word) as string };
  if (/^\d+$/.test(word)) return { type: 'number', value: Number(word) };
  const m = /^(\$\w+)?((\.\w+)*)$/.exec(word);
  if (!m || (!m[1] && !m[2])) throw new Error(`unsupported operand '${word}'`);
  return { type: 'field', variable: m[1], path: m[2] ? m[2].slice(1).split('.') : [] };
}

// ---- rendering ----

type Scope = Map<string, unknown>;

export function renderTemplate(nodes: Node[], data: unknown): string {
  return renderNodes(nodes, data, new Map([['$', data]]));
}

function renderNodes(nodes: Node[], dot: unknown, scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.text;
        break;
      case 'output':
        out += print(evalPipeline(node.pipeline, dot, scope));
        break;
      case 'assign':
        scope.set(node.variable, evalPipeline(node.pipeline, dot, scope));
        break;
      case 'range': {
        const list = evalPipeline(node.pipeline, dot, scope);
        if (list === undefined || list === null) break;
        if (!Array.isArray(list)) throw new Error(`range over a non-list`);
        for (const item of list) out += renderNodes(node.body, item, new Map([...scope, [node.variable, item]]));
        break;
      }
      case 'if':
        out += renderNodes(truthy(evalPipeline(node.pipeline, dot, scope)) ? node.then : node.else, dot, new Map(scope));
        break;
    }
  }
  return out;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function print(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return '<no value>';
  throw new Error('printing a map or list without toJson');
}

function evalPipeline(pipeline: Pipeline, dot: unknown, scope: Scope): unknown {
  let value: unknown;
  pipeline.forEach((command, i) => {
    const args = command.args.map((a) => evalOperand(a, dot, scope));
    if (i > 0) args.push(value);
    value = command.fn ? call(command.fn, args) : args[0];
  });
  return value;
}

function evalOperand(operand: Operand, dot: unknown, scope: Scope): unknown {
  switch (operand.type) {
    case 'string':
    case 'number':
      return operand.value;
    case 'pipeline':
      return evalPipeline(operand.pipeline, dot, scope);
    case 'field': {
      let v: unknown = operand.variable ? scope.get(operand.variable) : dot;
      if (operand.variable && !scope.has(operand.variable)) throw new Error(`undefined variable ${operand.variable}`);
      for (const key of operand.path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      return v;
    }
  }
}

function call(fn: string, args: unknown[]): unknown {
  switch (fn) {
    case 'printf': {
      const [format, ...rest] = args as [string, ...unknown[]];
      let n = 0;
      return format.replace(/%s/g, () => String(rest[n++]));
    }
    case 'quote':
      return JSON.stringify(String(args[0]));
    case 'toJson':
      return JSON.stringify(args[0]);
    case 'sha256sum':
      return createHash('sha256').update(String(args[0])).digest('hex');
    case 'trunc':
      return String(args[1]).slice(0, Number(args[0]));
    case 'eq':
      return args[0] === args[1];
  }
  throw new Error(`unsupported function ${fn}`);
}

// ---- field paths against a schema ----

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  [key: string]: unknown;
}

const SCALAR: JsonSchema = { type: 'string' };

/**
 * Every field the template reads, resolved against `root` (the schema of the template's data) on
 * every branch. Returns the paths that the schema does not define.
 */
export function checkFieldPaths(nodes: Node[], root: JsonSchema): string[] {
  const problems: string[] = [];
  const walk = (list: Node[], dot: JsonSchema, scope: Map<string, { schema: JsonSchema; path: string }>, dotPath: string) => {
    const resolve = (pipeline: Pipeline): { schema: JsonSchema; path: string } => {
      let result = { schema: SCALAR, path: '' };
      for (const command of pipeline) {
        const args = command.args.map((operand) => resolveOperand(operand));
        result = command.fn ? { schema: SCALAR, path: '' } : args[0];
      }
      return result;
    };
    const resolveOperand = (operand: Operand): { schema: JsonSchema; path: string } => {
      if (operand.type === 'pipeline') return resolve(operand.pipeline);
      if (operand.type !== 'field') return { schema: SCALAR, path: '' };
      const start = operand.variable ? scope.get(operand.variable) : { schema: dot, path: dotPath };
      if (!start) {
        problems.push(`undefined variable ${operand.variable}`);
        return { schema: SCALAR, path: '' };
      }
      let { schema, path } = start;
      for (const key of operand.path) {
        path = `${path}.${key}`;
        const next = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        if (!next) {
          problems.push(path.replace(/^\./, ''));
          return { schema: SCALAR, path };
        }
        schema = next;
      }
      return { schema, path };
    };
    for (const node of list) {
      if (node.type === 'output') resolve(node.pipeline);
      if (node.type === 'assign') scope.set(node.variable, resolve(node.pipeline));
      if (node.type === 'if') {
        resolve(node.pipeline);
        walk(node.then, dot, new Map(scope), dotPath);
        walk(node.else, dot, new Map(scope), dotPath);
      }
      if (node.type === 'range') {
        const list = resolve(node.pipeline);
        if (list.schema.type !== 'array' || !list.schema.items) {
          problems.push(`${list.path.replace(/^\./, '')} is ranged over but is not a list`);
          continue;
        }
        const item = { schema: list.schema.items, path: `${list.path}[]` };
        walk(node.body, item.schema, new Map([...scope, [node.variable, item]]), item.path);
      }
    }
  };
  walk(nodes, root, new Map([['$', { schema: root, path: '' }]]), '');
  return problems;
}
