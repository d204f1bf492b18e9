/**
 * "Did you mean" for a key the AsyncAPI schema does not allow (`adress`): the keys of the AsyncAPI
 * objects that could be the one written (those whose properties include every other key beside
 * it), or failing that every key the version's schema names. Computed only for a rejected key.
 */
import specs from '@asyncapi/specs';
import { nearest } from '../../suggest';
import { isObject } from './issue';

const byVersion = new Map<string, Array<readonly string[]>>();

/** Each object definition's property names, for one AsyncAPI version. */
function objectKeys(version: string): Array<readonly string[]> {
  let known = byVersion.get(version);
  if (!known) {
    const schema = specs.schemas[version as keyof typeof specs.schemas] as { definitions?: Record<string, unknown> } | undefined;
    known = [];
    const walk = (node: unknown, depth: number) => {
      if (depth > 8 || node === null || typeof node !== 'object') return;
      if (isObject(node) && isObject(node.properties)) known!.push(Object.keys(node.properties));
      for (const child of Object.values(node)) walk(child, depth + 1);
    };
    walk(schema?.definitions ?? {}, 0);
    byVersion.set(version, known);
  }
  return known;
}

/** The key meant by `key`, written beside `siblings` in a document of `version`; undefined when none is near. */
export function meantKey(version: string, key: string, siblings: readonly string[]): string | undefined {
  const others = siblings.filter((s) => s !== key && s !== '$ref' && !s.startsWith('x-'));
  const all = objectKeys(version);
  const fitting = others.length > 0 ? all.filter((keys) => others.every((o) => keys.includes(o))) : [];
  const candidates = new Set((fitting.length > 0 ? fitting : all).flat());
  return nearest(key, candidates, { abbreviations: false });
}
