/**
 * Checks that validate values against schemas written in the spec (message examples, schema
 * defaults and examples), with the parser's semantics: a schema that cannot be compiled is
 * itself a problem, except for unresolvable `$ref`s, which the parser ignores.
 */
import { MissingRefError } from 'ajv';
import { compileUserSchema } from './ajv';
import type { AsyncApiIssue } from './issue';

export function checkAgainstSchema(
  code: string,
  value: unknown,
  schema: unknown,
  path: ReadonlyArray<string | number>,
): AsyncApiIssue[] {
  try {
    const validate = compileUserSchema(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => ({
      code,
      message: `${e.instancePath || 'value'} ${e.message ?? 'is invalid'}`,
      path: [...path, ...e.instancePath.split('/').slice(1)],
    }));
  } catch (err) {
    if (err instanceof MissingRefError) return [];
    return [{ code, message: err instanceof Error ? err.message : String(err), path }];
  }
}

/** Message examples are validated against `{}` / `{type: object}` when payload / headers are absent. */
export function exampleSchema(schema: unknown, part: 'payload' | 'headers'): unknown {
  if (typeof schema === 'boolean') return schema ? {} : { not: {} };
  if (!schema) return part === 'headers' ? { type: 'object' } : {};
  return schema;
}
