/**
 * A part of a plan: the products an id or a dotted prefix names (`acme.retail` for every retail
 * product), and resources of some kinds (`kafka:Acl`, or `kafka` for every kafka:* kind). Pure.
 */
import type { StackSelection } from '../stack/types';
import type { Plan, ResourceKind } from './types';

export interface Selection {
  /** Product ids or dotted prefixes of them; empty or absent: every product. */
  products?: readonly string[];
  /** Resource kinds, their last segment (`Acl`) or leading segments (`kafka`, `gcp:bigquery`); empty or absent: every kind. */
  kinds?: readonly string[];
}

export function selectPlan(plan: Plan, selection: Selection): Plan {
  const products = plan.products.filter((p) => matchesProduct(p.id, selection.products));
  const ids = new Set(products.map((p) => p.id));
  const resources = plan.resources.filter((r) => ids.has(r.product) && matchesKind(r.kind, selection.kinds));
  return { stack: plan.stack, products, resources };
}

export function matchesProduct(id: string, patterns: readonly string[] | undefined): boolean {
  return !patterns?.length || patterns.some((p) => id === p || id.startsWith(p.endsWith('.') ? p : `${p}.`));
}

/**
 * Whether a stack manages a product: every product when the stack selects none, else those in its
 * business domains (`meshform:domains`, exact) or named by id or dotted prefix (`meshform:products`).
 * One rule for the plan, the Kafka provider's delete guard and `meshform stacks plan`.
 */
export function stackSelects(selection: StackSelection | undefined, product: { id: string; businessDomain: string }): boolean {
  if (!selection) return true;
  return selection.domains.includes(product.businessDomain) || (selection.products.length > 0 && matchesProduct(product.id, selection.products));
}

/** `kafka:Acl`, its last segment `Acl`, or a family `kafka`, `gcp:bigquery`; case-insensitive. */
export function matchesKind(kind: ResourceKind, patterns: readonly string[] | undefined): boolean {
  const k = kind.toLowerCase();
  return (
    !patterns?.length ||
    patterns.some((pattern) => {
      const p = pattern.toLowerCase();
      return k === p || k.startsWith(`${p}:`) || k.endsWith(`:${p}`);
    })
  );
}
