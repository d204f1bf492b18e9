/** The whole mesh's lineage: the graph, and the same edges as a table (for small screens and screen readers). */
import type { VNode } from 'preact';
import { topicAnchor } from '../paths';
import { GraphLegend, LineageGraph } from './graph';
import { ProductLink, plural, usePage } from './layout';
import { AccessBadge } from './product-page';
import { DataTable } from './table';

export function LineagePage(): VNode {
  const { site } = usePage();
  const { view } = site;
  const missing = view.consumptions.filter((c) => c.access === 'no-grant' || c.access === 'private');
  const rows = [...view.consumptions].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.consumer < b.consumer ? -1 : 1));
  return (
    <>
      <h1>Lineage</h1>
      {site.lineageTooLarge ? (
        <p class="lead">
          The mesh has {plural(view.products.length, 'product')}: too many to draw as one readable graph. Every product page draws what it reads and who
          reads it; below, every consumption as a table.
        </p>
      ) : site.lineageByProduct ? (
        <p class="lead">
          Every product, with an arrow to each product that reads any of its topics, from top to bottom (the mesh has too many topics to draw each; every
          product page draws its own). Select a product to open it, or an arrow to open the consumer.
        </p>
      ) : (
        <p class="lead">
          Every product (boxes), the topics it publishes (rounded) and the products that read them, from top to bottom. Select a product or a topic to
          open it; select an arrow into a product to open the consumer.
        </p>
      )}
      {missing.length > 0 && (
        <p class="alert" role="status">
          {plural(missing.length, 'consumption')} cannot read what {missing.length === 1 ? 'it' : 'they'} declare: marked ✕ in red below.
        </p>
      )}
      <p>
        The same as a table: <a href="#edges">who reads what</a>.
      </p>
      {!site.lineageTooLarge && (
        <>
          <GraphLegend graph={site.lineage} />
          <LineageGraph graph={site.lineage} id="mesh-lineage" label="Lineage of the whole mesh" />
        </>
      )}
      <h2 id="edges">Who reads what</h2>
      <DataTable
        id="edge-table"
        head={['Topic', 'Publisher', 'Read by', 'Access']}
        rows={rows.map((c) => ({
          cells: [
            <code>{c.topic}</code>,
            c.owner ? <ProductLink id={c.owner} /> : <span class="muted">none</span>,
            <ProductLink id={c.consumer} />,
            <AccessBadge access={c.access} />,
          ],
        }))}
      />
      {view.undeclaredTopics.length > 0 && (
        <>
          <h2>Topics no spec declares</h2>
          <p>Products receive from these, but no spec in the mesh declares them: they may live outside the mesh, or the name is wrong.</p>
          <ul>
            {view.undeclaredTopics.map((u) => (
              <li id={topicAnchor(u.name)}>
                <code>{u.name}</code>
                {u.expectedOwner && (
                  <>
                    {' '}
                    (its name says <ProductLink id={u.expectedOwner} />, which does not declare it)
                  </>
                )}
                : read by{' '}
                {u.consumers.map((c, i) => (
                  <>
                    {i > 0 && ', '}
                    <ProductLink id={c.consumer} />
                  </>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
