/**
 * Spectral rulesets, the AsyncAPI ecosystem's own way to write rules, run on the specs meshform
 * reads. Loaded (and only loaded) when a mesh file names one, so validation keeps its speed
 * otherwise. A ruleset is a YAML or JSON file as Spectral's CLI reads it: `rules` whose
 * `then.function` is one of Spectral's core functions (truthy, pattern, schema, ...) or a
 * CommonJS module in `functionsDir`; `extends` other ruleset files; `formats` (aas2, aas3, ...).
 * `$ref`s in a spec are followed only inside its spec root, never over the network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, SourceLocation } from '../vocabulary/diagnostics';
import { error, warning } from '../vocabulary/diagnostics';
import { CODES } from '../vocabulary/codes';
import { isInside } from '../reading/refs';
import { displayPath } from '../reading/read';
import { locate, parseSource, type SpecSource } from '../reading/source';
import { nearest } from '../suggest';

type Json = Record<string, unknown>;

/** A ruleset ready to run: its rule names, and the definition Spectral takes. */
export interface LoadedRuleset {
  definition: Json;
  rules: string[];
  diagnostics: Diagnostic[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Spectral's core functions by the names rulesets use. */
function coreFunctions(): Record<string, unknown> {
  return require('@stoplight/spectral-functions') as Record<string, unknown>;
}

/** Spectral's document formats by the names rulesets use (aas2, aas2_6, aas3, aas3_0, ...). */
function formatsByName(): Record<string, unknown> {
  return require('@stoplight/spectral-formats') as Record<string, unknown>;
}

/**
 * Reads a ruleset file (and the files it extends) into a Spectral ruleset definition. Problems are
 * diagnostics at the place in the ruleset file; `where` is the mesh file entry that names it.
 */
export function loadRuleset(file: string, cwd: string, where: SourceLocation, seen: Set<string> = new Set()): LoadedRuleset {
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, location: SourceLocation = where): LoadedRuleset => ({ definition: {}, rules: [], diagnostics: [error(CODES.ruleset, message, location)] });
  if (seen.has(file)) return fail(`ruleset ${displayPath(cwd, file)} extends itself (through ${[...seen].map((f) => displayPath(cwd, f)).join(' -> ')})`);
  seen.add(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`cannot read the ruleset ${displayPath(cwd, file)}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const source = parseSource(file, displayPath(cwd, file), text);
  if (source.syntaxErrors.length > 0) return { definition: {}, rules: [], diagnostics: source.syntaxErrors };
  const at = (p: ReadonlyArray<string | number>, key = false) => locate(source, p, { key });
  const value = source.value;
  if (!isObject(value) || !isObject(value.rules)) return fail('a Spectral ruleset is a map with rules: {<name>: {given, then}}', at([]));

  const core = coreFunctions();
  const custom = customFunctions(value, file, source, diagnostics);
  const formats = formatsByName();
  const formatList = (list: unknown, p: Array<string | number>): unknown[] | undefined => {
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) {
      diagnostics.push(error(CODES.ruleset, 'formats must be a list such as [aas2, aas3]', at(p)));
      return undefined;
    }
    return list.flatMap((name, i) => {
      if (typeof name === 'string' && formats[name]) return [formats[name]];
      const near = typeof name === 'string' ? nearest(name, Object.keys(formats)) : undefined;
      diagnostics.push(error(CODES.ruleset, `unknown format ${JSON.stringify(name)}${near ? ` (did you mean ${near}?)` : ''}; AsyncAPI's are aas2, aas2_0 ... aas2_6, aas3, aas3_0`, at([...p, i])));
      return [];
    });
  };

  const rules: Json = {};
  for (const [name, rule] of Object.entries(value.rules)) {
    if (!isObject(rule)) {
      // `name: off` (or true/false) switches an extended rule.
      rules[name] = rule;
      continue;
    }
    const copy: Json = { ...rule };
    const thens = Array.isArray(rule.then) ? rule.then : [rule.then];
    const resolved = thens.map((then, i) => {
      const thenAt = Array.isArray(rule.then) ? ['rules', name, 'then', i] : ['rules', name, 'then'];
      if (!isObject(then) || typeof then.function !== 'string') {
        diagnostics.push(error(CODES.ruleset, `rule ${name}: then needs function: the name of a Spectral function (truthy, pattern, schema, ...)`, at(thenAt)));
        return then;
      }
      const fn = custom[then.function] ?? core[then.function];
      if (typeof fn !== 'function') {
        const near = nearest(then.function, [...Object.keys(core), ...Object.keys(custom)]);
        diagnostics.push(error(CODES.ruleset, `rule ${name}: unknown function "${then.function}"${near ? ` (did you mean "${near}"?)` : ''}; core functions: ${Object.keys(core).join(', ')}; your own go in functionsDir, listed in functions`, at([...thenAt, 'function'])));
        return then;
      }
      return { ...then, function: fn };
    });
    copy.then = Array.isArray(rule.then) ? resolved : resolved[0];
    if (rule.formats !== undefined) copy.formats = formatList(rule.formats, ['rules', name, 'formats']);
    rules[name] = copy;
  }

  const definition: Json = { rules };
  const topFormats = formatList(value.formats, ['formats']);
  if (topFormats) definition.formats = topFormats;
  if (value.aliases !== undefined) definition.aliases = value.aliases;
  const extended: string[] = [];
  if (value.extends !== undefined) {
    const list = Array.isArray(value.extends) && !(value.extends.length === 2 && typeof value.extends[1] === 'string' && ['all', 'recommended', 'off'].includes(value.extends[1])) ? value.extends : [value.extends];
    const parents: unknown[] = [];
    list.forEach((entry: unknown, i) => {
      const [target, mode] = Array.isArray(entry) ? entry : [entry, undefined];
      const entryAt = at(Array.isArray(value.extends) ? ['extends', i] : ['extends']);
      if (typeof target !== 'string') {
        diagnostics.push(error(CODES.ruleset, 'extends names ruleset files (or [file, all|recommended|off])', entryAt));
      } else if (/^spectral:/.test(target)) {
        diagnostics.push(warning(CODES.ruleset, `${target} is not run: meshform checks AsyncAPI documents itself (the same verdicts as @asyncapi/parser); list the rules you want in this ruleset`, entryAt));
      } else if (/^https?:/i.test(target)) {
        diagnostics.push(error(CODES.ruleset, `extends ${target}: meshform never fetches; copy the ruleset into the repository`, entryAt));
      } else {
        const parent = loadRuleset(path.resolve(path.dirname(file), target), cwd, entryAt, new Set(seen));
        diagnostics.push(...parent.diagnostics);
        extended.push(...parent.rules);
        parents.push(mode === undefined ? parent.definition : [parent.definition, mode]);
      }
    });
    if (parents.length > 0) definition.extends = parents;
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { definition: {}, rules: [], diagnostics };
  // Spectral's own validation of the ruleset (given paths, function options, severities).
  try {
    const { Ruleset } = require('@stoplight/spectral-core') as typeof import('@stoplight/spectral-core');
    new Ruleset(definition as never, { source: file });
  } catch (e) {
    const list = (e as { errors?: unknown[] }).errors ?? [e];
    for (const item of list) {
      const problem = item as { message?: string; path?: Array<string | number> };
      diagnostics.push(error(CODES.ruleset, `Spectral refuses the ruleset: ${problem.message ?? String(item)}`, problem.path ? at(problem.path) : at([])));
    }
    return { definition: {}, rules: [], diagnostics };
  }
  return { definition, rules: [...new Set([...extended, ...Object.keys(rules)])], diagnostics };
}

/** `functions: [name]` from `functionsDir` (default `functions/`, beside the ruleset): CommonJS modules exporting the function. */
function customFunctions(value: Json, file: string, source: SpecSource, diagnostics: Diagnostic[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (value.functions === undefined) return out;
  const dir = path.resolve(path.dirname(file), typeof value.functionsDir === 'string' ? value.functionsDir : 'functions');
  if (!Array.isArray(value.functions)) {
    diagnostics.push(error(CODES.ruleset, 'functions must be a list of function names (files in functionsDir)', locate(source, ['functions'])));
    return out;
  }
  value.functions.forEach((name: unknown, i) => {
    const where = locate(source, ['functions', i]);
    if (typeof name !== 'string') return;
    const module = path.join(dir, `${name}.js`);
    try {
      const loaded = require(module) as unknown;
      const fn = typeof loaded === 'function' ? loaded : (loaded as { default?: unknown })?.default;
      if (typeof fn !== 'function') diagnostics.push(error(CODES.ruleset, `${module} exports no function (module.exports = function ${name}(input, options, context) {...})`, where));
      else out[name] = fn;
    } catch (e) {
      diagnostics.push(error(CODES.ruleset, `cannot load the function ${name} from ${module}: ${(e as Error).message.split('\n')[0]}`, where));
    }
  });
  return out;
}

/**
 * Spectral with the rulesets (their rules' severities as the mesh file sets them), resolving a
 * spec's `$ref`s only inside its spec root.
 */
export function spectralFor(definitions: Json[], severities: ReadonlyMap<string, string>, root: string): { run(source: Pick<SpecSource, 'path' | 'text'>): Promise<SpectralResult[]> } {
  const { Spectral, Ruleset } = require('@stoplight/spectral-core') as typeof import('@stoplight/spectral-core');
  const { Resolver } = require('@stoplight/spectral-ref-resolver') as typeof import('@stoplight/spectral-ref-resolver');
  const resolver = new Resolver({
    resolvers: {
      file: {
        async resolve(uri: { path(): string }) {
          const target = decodeURIComponent(uri.path());
          // Root-relative refs (`/schema/x.avsc`, SpecMesh's form) are read from the spec root.
          const file = isInside(root, target) ? target : path.join(root, target);
          if (!isInside(root, file)) throw new Error(`${target} is outside the spec root`);
          return fs.readFileSync(file, 'utf8');
        },
      },
    },
  });
  const spectral = new Spectral({ resolver });
  // One ruleset runs as Spectral runs it; several are extended by one that holds them all.
  spectral.setRuleset(new Ruleset((definitions.length === 1 ? definitions[0] : { extends: definitions }) as never));
  applySeverities(spectral.ruleset!, severities);
  return {
    async run(source) {
      const { Document } = require('@stoplight/spectral-core') as typeof import('@stoplight/spectral-core');
      const { Yaml } = require('@stoplight/spectral-parsers') as typeof import('@stoplight/spectral-parsers');
      const results = await spectral.run(new Document(source.text, Yaml, source.path), { ignoreUnknownFormat: true });
      return results.map((r) => ({ code: String(r.code), severity: r.severity, message: r.message, source: r.source ?? source.path, line: r.range.start.line + 1, col: r.range.start.character + 1 }));
    },
  };
}

export interface SpectralResult {
  code: string;
  /** Spectral's: 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
  message: string;
  /** Absolute path of the file the result is in. */
  source: string;
  line: number;
  col: number;
}

/** The mesh file's `rules:` for ruleset rules: off disables, warn/error set the severity. */
function applySeverities(ruleset: { rules: Record<string, { enabled: boolean; severity: unknown }> }, severities: ReadonlyMap<string, string>): void {
  for (const [name, severity] of severities) {
    const rule = ruleset.rules[name];
    if (!rule) continue;
    if (severity === 'off') rule.enabled = false;
    else {
      rule.enabled = true;
      rule.severity = severity === 'warn' ? 'warn' : 'error';
    }
  }
}
