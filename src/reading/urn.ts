/** Product identity: `urn:acme:retail:orders` <-> domain id `acme.retail.orders`. */

/** `urn:` then at least two segments (so a business domain exists), separated by `:` or `.`. */
const URN_PATTERN = /^urn:[a-z0-9_-]+(?:[:.][a-z0-9_-]+)+$/;

export function isProductUrn(text: string): boolean {
  return URN_PATTERN.test(text);
}

/**
 * The first segment that starts with `_`, if any. Such segments are meshform's own (`_public`,
 * `_protected`, `_private` qualify topics under a product id): a product `acme._private` would
 * own `acme._private.*`, topics that product `acme` owns under its `_private` prefix.
 */
export function reservedSegment(urn: string): string | undefined {
  return urn.slice('urn:'.length).split(/[:.]/).find((segment) => segment.startsWith('_'));
}

export function domainIdOf(urn: string): string {
  return urn.slice('urn:'.length).replace(/:/g, '.');
}

/** The urn of a domain id, as specs write it: `acme.retail.orders` -> `urn:acme:retail:orders`. */
export function urnOf(domainId: string): string {
  return `urn:${domainId.replace(/\./g, ':')}`;
}

/** The id minus its last segment: `acme.retail.orders` -> `acme.retail`. */
export function businessDomainOf(domainId: string): string {
  return domainId.slice(0, domainId.lastIndexOf('.'));
}
