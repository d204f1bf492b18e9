import type { StackConfig } from '../stack/types';
import type { Product } from '../vocabulary/mesh';

/** Every product's Kafka principal comes from the stack's template: `User:{domain}` -> `User:acme.retail.orders`. */
export function productPrincipal(productId: string, stack: StackConfig): string {
  return principalFromTemplate(stack.kafka.principalTemplate, productId);
}

/** `template` with the product id in place of every `{domain}`. */
export function principalFromTemplate(template: string, productId: string): string {
  return template.split('{domain}').join(productId);
}

/** Kafka's wildcard principal: any authenticated user. Only public topics are opened to it. */
export const ANY_PRINCIPAL = 'User:*';

/** What a limited principal may do: write the topics in `sends`, read those in `receives`, use the groups and transactional ids listed. */
export type LimitKind = 'sends' | 'receives' | 'groups' | 'transactionalIds';

/**
 * One of a product's principals and what it is limited to: nothing (every access the product
 * has), or only the listed topics, groups and transactional ids (an adopted application's).
 */
export interface ProductPrincipal {
  principal: string;
  only?: Partial<Record<LimitKind, ReadonlySet<string>>>;
}

/**
 * The principals a product's access goes to: those it adopted (`x-meshform.adopt.principals`,
 * issue 20), else the one of the stack's template.
 */
export function productPrincipals(product: Pick<Product, 'id' | 'adopt'>, stack: StackConfig): ProductPrincipal[] {
  const adopted = product.adopt?.principals ?? [];
  if (adopted.length === 0) return [{ principal: productPrincipal(product.id, stack) }];
  return adopted.map((p) => {
    if (!p.sends && !p.receives && !p.groups && !p.transactionalIds) return { principal: p.principal };
    const set = (list?: string[]) => new Set(list ?? []);
    return { principal: p.principal, only: { sends: set(p.sends), receives: set(p.receives), groups: set(p.groups), transactionalIds: set(p.transactionalIds) } };
  });
}

/** Whether a principal may take part in a topic (writing or reading), group or transactional id of its product. */
export function allowedOn(p: ProductPrincipal, kind: LimitKind, name: string): boolean {
  return !p.only || (p.only[kind]?.has(name) ?? false);
}
