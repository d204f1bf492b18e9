/**
 * Where each page lives in the site, relative to its root. Product ids and topic names are
 * `[a-z0-9._-]` (urn and Kafka rules), safe as file names and fragment ids as they are.
 */
export const pagePath = {
  index: 'index.html',
  lineage: 'lineage.html',
  access: 'access.html',
  accessDomain: (domain: string) => `access/${domain}.html`,
  problems: 'problems.html',
  product: (id: string) => `products/${id}.html`,
  topic: (owner: string, topic: string) => `products/${owner}.html#${topicAnchor(topic)}`,
  lineageTopic: (topic: string) => `lineage.html#${topicAnchor(topic)}`,
  domain: (domain: string) => `index.html#${domainAnchor(domain)}`,
};

export function topicAnchor(topic: string): string {
  return `topic-${topic}`;
}

export function domainAnchor(domain: string): string {
  return `domain-${domain}`;
}

/** A link from a page at `from` (site-relative) to `to` (site-relative). */
export function relativeLink(from: string, to: string): string {
  const depth = from.split('/').length - 1;
  return '../'.repeat(depth) + to;
}
