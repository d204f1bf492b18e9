import type { StackConfig } from '../stack/types';

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
