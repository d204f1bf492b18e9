/** The front page: products grouped by business domain, with a search box. */
import type { VNode } from 'preact';
import { domainAnchor, pagePath } from '../paths';
import type { ProductView } from '../view';
import { Link, plural, usePage } from './layout';
import { StandingBadge } from './product-page';
import { formatBytes } from '../../numbers';

export function IndexPage(): VNode {
  const { site } = usePage();
  const { view } = site;
  const topics = view.topics.size;
  const errors = view.problems.filter((d) => d.severity === 'error').length;
  return (
    <>
      <h1>Data products</h1>
      <p class="lead">
        {plural(view.products.length, 'product')} in {plural(view.domains.length, 'business domain')}, publishing {plural(topics, 'topic')};{' '}
        {plural(view.consumptions.length, 'consumption')} between them. Open a product for its topics, schemas, consumers and how to get access.
      </p>
      {errors > 0 && (
        <p class="alert" role="status">
          The specs have {plural(errors, 'error')}: <Link to={pagePath.problems}>see the problems</Link>. Products whose spec has errors of its own are
          not shown.
        </p>
      )}
      <div class="filter">
        <label for="search">Find a product</label>
        <input id="search" type="search" placeholder="Name, id, owner, domain or topic" autoComplete="off" aria-describedby="search-status" />
        <p id="search-status" class="muted" aria-live="polite" />
      </div>
      <nav aria-label="Business domains" class="domain-index">
        <ul>
          {view.domains.map((d) => (
            <li>
              <a href={`#${domainAnchor(d.id)}`}>{d.id}</a> <span class="muted">({d.products.length})</span>
            </li>
          ))}
        </ul>
      </nav>
      {view.domains.map((domain) => (
        <section class="domain" id={domainAnchor(domain.id)} aria-labelledby={`${domainAnchor(domain.id)}-title`}>
          <h2 id={`${domainAnchor(domain.id)}-title`}>
            {domain.id} <span class="muted">{plural(domain.products.length, 'product')}</span>
          </h2>
          <ul class="cards">
            {domain.products.map((p) => (
              <ProductCard product={p} />
            ))}
          </ul>
        </section>
      ))}
      <p id="no-results" class="muted" hidden>
        No product matches.
      </p>
    </>
  );
}

function ProductCard(props: { product: ProductView }): VNode {
  const { site } = usePage();
  const p = props.product;
  const storage = site.storage?.products.find((s) => s.product === p.id);
  const searchText = [p.title, p.id, p.urn, p.businessDomain, p.domainType, p.description ?? '', ...p.owners, ...p.topics.map((t) => t.name)].join(' ').toLowerCase();
  return (
    <li class="card" data-search={searchText} data-product={p.id}>
      <h3>
        <Link to={pagePath.product(p.id)}>{p.title}</Link>
      </h3>
      <p class="id">
        <code>{p.id}</code>
      </p>
      <p>
        <span class={`badge type-${p.domainType}`}>{p.domainType}</span>
        {p.problems.some((d) => d.severity === 'error' && d.rule === undefined) && <span class="badge problem">has problems</span>}
        {p.standing && (
          <>
            {' '}
            <StandingBadge product={p} />
          </>
        )}
      </p>
      {p.description && <p class="description">{p.description}</p>}
      <dl class="facts">
        <dt>Owners</dt>
        <dd>{p.owners.join(', ')}</dd>
        <dt>Topics</dt>
        <dd>
          {p.topics.length === 0
            ? 'none'
            : (['public', 'protected', 'private'] as const)
                .map((v) => [v, p.topics.filter((t) => t.visibility === v).length] as const)
                .filter(([, n]) => n > 0)
                .map(([v, n]) => `${n} ${v}`)
                .join(', ')}
        </dd>
        <dt>Reads</dt>
        <dd>{p.consumes.length === 0 ? 'nothing' : plural(p.consumes.length, 'topic')}</dd>
        {storage && (
          <>
            <dt>Stored</dt>
            <dd>{formatBytes(storage.bytes)}</dd>
          </>
        )}
      </dl>
    </li>
  );
}
