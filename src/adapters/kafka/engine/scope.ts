/**
 * Ownership: which existing topics and ACLs an apply may touch.
 *
 * Only the products in the given specs are in scope. A name belongs to the in-scope product whose
 * namespace holds it (`NameIndex.ownerOfResource` in vocabulary/topic-names.ts, where the plan's
 * ACL patterns come from too): `p.` or `p-` itself, or a name starting with `p._`, so `acme.user`
 * never claims `acme.userprops.*` nor a nested product's `acme.user.profile._public.*`. An ACL
 * belongs to the product that owns its resource; a CLUSTER ACL belongs to the product whose
 * principal it names. An ACL that names one of our principals on another product's topic is that
 * product's grant, so it is left alone.
 */
import { principalFromTemplate } from '../../../plan/principal';
import type { KafkaAclProps } from '../../../plan/types';
import { NameIndex } from '../../../vocabulary/topic-names';

export class OwnershipScope {
  private readonly names: NameIndex;
  private readonly productByPrincipal: Map<string, string>;
  private readonly principalByProduct: ReadonlyMap<string, string>;

  constructor(productIds: Iterable<string>, principals: ReadonlyMap<string, string> = new Map()) {
    this.names = new NameIndex(productIds);
    this.principalByProduct = principals;
    this.productByPrincipal = new Map([...principals].map(([product, principal]) => [principal, product]));
  }

  /** Exactly these products, each with its principal from the stack's `principalTemplate`. */
  static ofProducts(productIds: Iterable<string>, principalTemplate: string): OwnershipScope {
    const ids = [...productIds];
    return new OwnershipScope(ids, new Map(ids.map((id) => [id, principalFromTemplate(principalTemplate, id)])));
  }

  get products(): readonly string[] {
    return this.names.products;
  }

  /**
   * The product in scope that owns a topic, or an ACL's topic, group or transactional-id resource
   * name, if any (a nested product wins over its parent); the cost does not grow with the number
   * of products.
   */
  ownerOfName(name: string): string | undefined {
    return this.names.ownerOfResource(name);
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

