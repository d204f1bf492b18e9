/** Test helpers for Secret values: they print as `[secret]`, and jest's toEqual cannot see inside them. */
import { Secret } from '../../src/vocabulary/secret';

/** A copy of `value` with every Secret replaced by `secret:<its value>`, for toEqual against written values. */
export function unveiled(value: unknown): unknown {
  if (value instanceof Secret) return `secret:${value.reveal()}`;
  if (Array.isArray(value)) return value.map(unveiled);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unveiled(v)]));
  return value;
}
