/**
 * Ownership: which existing topics and ACLs an apply may touch.
 *
 * Only the products in the given specs are in scope. A name belongs to product `p` when it is
 * `p.` or `p-` itself or starts with `p._` (`p._public.x`, the `p._private` prefix): the visibility
 * segment makes the boundary exact, so `acme.user` never claims `acme.userprops.*` nor a nested
 * product's `acme.user.profile._public.*`. An ACL belongs to the product that owns its resource;
 * a CLUSTER ACL belongs to the product whose principal it names. An ACL that names one of our
 * principals on another product's topic is that product's grant, so it is left alone.
 */
import { principalFromTemplate } from '../../../plan/principal';
import type { KafkaAclProps } from '../../../plan/types';

export class OwnershipScope {
  private readonly productIds: Set<string>;
  private readonly productByPrincipal: Map<string, string>;
  private readonly principalByProduct: ReadonlyMap<string, string>;

  constructor(productIds: Iterable<string>, principals: ReadonlyMap<string, string> = new Map()) {
    this.productIds = new Set(productIds);
    this.principalByProduct = principals;
    this.productByPrincipal = new Map([...principals].map(([product, principal]) => [principal, product]));
  }

  /** Exactly these products, each with its principal from the stack's `principalTemplate`. */
  static ofProducts(productIds: Iterable<string>, principalTemplate: string): OwnershipScope {
    const ids = [...productIds];
    return new OwnershipScope(ids, new Map(ids.map((id) => [id, principalFromTemplate(principalTemplate, id)])));
  }

  get products(): readonly string[] {
    return [...this.productIds];
  }

  /**
   * The product in scope that owns a topic, group or transactional-id name, if any. Candidates are
   * the name's own `.`-prefixes, longest first (a nested product wins over its parent), so the
   * cost does not grow with the number of products.
   */
  ownerOfName(name: string): string | undefined {
    // `p-`: the product's second group / transactional-id prefix (`<domain-id>-<service>`).
    if (name.endsWith('-') && this.productIds.has(name.slice(0, -1))) return name.slice(0, -1);
    for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
      const candidate = name.slice(0, dot);
      if (!this.productIds.has(candidate)) continue;
      if (dot === name.length - 1 || name[dot + 1] === '_') return candidate;
    }
    return undefined;
  }

  /** The principal the scope was given for a product, if any. */
  principalOf(product: string): string | undefined {
    return this.principalByProduct.get(product);
  }

  productOfPrincipal(principal: string): string | undefined {
    return this.productByPrincipal.get(principal);
  }

  ownsTopic(name: string): boolean {
    return this.ownerOfName(name) !== undefined;
  }

  /** The product in scope that owns an ACL binding, if any. */
  ownerOfAcl(acl: KafkaAclProps): string | undefined {
    if (acl.resourceType === 'CLUSTER') return this.productOfPrincipal(acl.principal);
    return this.ownerOfName(acl.resourceName);
  }
}

/** Every product id `OwnershipScope.ownerOfName` may answer for a name: its `.`-prefixes, and `p` for `p-`. */
export function ownerCandidates(name: string): string[] {
  const out: string[] = [];
  if (name.endsWith('-')) out.push(name.slice(0, -1));
  for (let dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) out.push(name.slice(0, dot));
  return out;
}

export function isPrivateTopic(name: string): boolean {
  return /(^|\.)_private(\.|$)/.test(name);
}
