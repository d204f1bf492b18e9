import type { StackConfig } from '../stack/types';

/** Every product's Kafka principal comes from the stack's template: `User:{domain}` -> `User:acme.retail.orders`. */
export function productPrincipal(productId: string, stack: StackConfig): string {
  return stack.kafka.principalTemplate.split('{domain}').join(productId);
}

/** Kafka's wildcard principal: any authenticated user. Only public topics are opened to it. */
export const ANY_PRINCIPAL = 'User:*';
