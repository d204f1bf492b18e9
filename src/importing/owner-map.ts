/**
 * The owner map (`--owners <map.yaml>`): how an estate becomes products, where derivation is not
 * enough. Every key is optional.
 *
 * ```yaml
 * domain: acme                 # first segment(s) of derived product ids (default: estate)
 * products:                    # a principal, or a derived product id, -> the product id to use
 *   User:orders-svc: acme.orders
 *   estate.billing-service: acme.billing
 * topics:                      # a topic -> its owner product (e.g. one nobody writes)
 *   legacy-audit: acme.orders
 * visibility:                  # a topic -> public | protected | private (default: by who reads it)
 *   orders-placed-v1: public
 * owners:                      # product id or id prefix -> IAM owners, written to meshform.yaml
 *   acme: [group:data-platform@acme.com]
 * ```
 */
import { type Diagnostic } from '../vocabulary/diagnostics';
import type { Visibility } from '../vocabulary/mesh';
import { isRecord, readOwners, unknownKeys } from '../reading/extension';
import { isProductUrn, reservedSegment, urnOf } from '../reading/urn';
import { readInput, text } from './input';

export interface OwnerMap {
  domain: string;
  products: Map<string, string>;
  topics: Map<string, string>;
  visibility: Map<string, Visibility>;
  owners: Map<string, string[]>;
}

export const DEFAULT_DOMAIN = 'estate';

export function emptyOwnerMap(): OwnerMap {
  return { domain: DEFAULT_DOMAIN, products: new Map(), topics: new Map(), visibility: new Map(), owners: new Map() };
}

/** Whether an id (or id prefix) is one a spec can have: `urn:` + its segments is a product urn, none reserved. */
export function isProductId(id: string, prefix = false): boolean {
  const urn = urnOf(id);
  return (isProductUrn(urn) || (prefix && /^[a-z0-9_-]+$/.test(id))) && reservedSegment(urn) === undefined;
}

export function readOwnerMap(file: string, cwd: string): { map: OwnerMap; diagnostics: Diagnostic[] } {
  const map = emptyOwnerMap();
  const { input, diagnostics } = readInput(file, cwd);
  if (!input) return { map, diagnostics };
  const root = input.source.value;
  if (root === null || root === undefined) return { map, diagnostics };
  if (!isRecord(root)) return { map, diagnostics: [input.problem('an owner map is a map of domain, products, topics, visibility and owners', [])] };
  const at = input.at;
  diagnostics.push(...unknownKeys(root, ['domain', 'products', 'topics', 'visibility', 'owners'], [], at, 'MF-IMPORT-FORMAT', 'the owner map'));
  if (root.domain !== undefined) {
    const domain = text(root.domain);
    if (!domain || !isProductId(domain, true)) diagnostics.push(input.problem('domain must be one or more id segments (a-z 0-9 - _, not starting with _), e.g. acme', ['domain']));
    else map.domain = domain;
  }
  for (const [key, target] of [['products', map.products], ['topics', map.topics]] as const) {
    const section = root[key];
    if (section === undefined) continue;
    if (!isRecord(section)) {
      diagnostics.push(input.problem(`${key} must be a map of ${key === 'products' ? 'principal or derived id' : 'topic'} to product id`, [key]));
      continue;
    }
    for (const [name, id] of Object.entries(section)) {
      const value = text(id);
      if (!value || !isProductId(value)) diagnostics.push(input.problem(`${key}.${name} must be a product id (two or more segments of a-z 0-9 - _ separated by ".", e.g. acme.orders)`, [key, name]));
      else target.set(name, value);
    }
  }
  if (root.visibility !== undefined) {
    for (const [topic, v] of Object.entries(isRecord(root.visibility) ? root.visibility : {})) {
      if (v === 'public' || v === 'protected' || v === 'private') map.visibility.set(topic, v);
      else diagnostics.push(input.problem(`visibility.${topic} must be public, protected or private`, ['visibility', topic]));
    }
  }
  if (root.owners !== undefined) {
    for (const [prefix, list] of Object.entries(isRecord(root.owners) ? root.owners : {})) {
      if (!isProductId(prefix, true)) {
        diagnostics.push(input.problem(`owners key "${prefix}" is not a product id or id prefix`, ['owners', prefix], { key: true }));
        continue;
      }
      const read = readOwners(list, ['owners', prefix], at, 'MF-IMPORT-FORMAT', `owners.${prefix}`);
      diagnostics.push(...read.diagnostics);
      if (read.owners) map.owners.set(prefix, read.owners);
    }
  }
  return { map, diagnostics };
}
