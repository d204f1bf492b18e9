/**
 * A laid-out lineage graph as inline SVG. Nodes are links (products to their page, topics to
 * their section), and so are consumption edges (to the consumer). Styles live in catalog.css:
 * `edge-<kind>` and `node-<kind>`; the legend shows each edge kind with its words.
 */
import type { VNode } from 'preact';
import { FONT, describeEdge, type EdgeKind, type LaidOutGraph, type Point } from '../lineage';
import { useHref } from './layout';

export function LineageGraph(props: { graph: LaidOutGraph; label: string; id: string }): VNode {
  const href = useHref();
  const { graph } = props;
  if (graph.nodes.length === 0) return <p class="muted">Nothing to draw.</p>;
  return (
    <section class="graph-scroll" tabIndex={0} aria-label={`${props.label} (scrolls sideways)`}>
      <svg
        class="lineage"
        id={props.id}
        viewBox={`0 0 ${graph.width} ${graph.height}`}
        width={graph.width}
        height={graph.height}
        role="group"
        aria-label={props.label}
      >
        <defs>
          {EDGE_KINDS.map((kind) => (
            <marker id={`${props.id}-arrow-${kind}`} class={`arrow-${kind}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" />
            </marker>
          ))}
        </defs>
        <g class="edges">
          {graph.edges.map((e) => {
            const d = pathOf(e.points);
            const flagAt = middleOfLongestSegment(e.points);
            return (
              <a href={href(e.href)} class={`edge edge-${e.kind}`} data-source={e.source} data-target={e.target} tabIndex={-1} aria-label={e.title}>
                <title>{e.title}</title>
                <path class="hit" d={d} />
                <path class="line" d={d} marker-end={`url(#${props.id}-arrow-${e.kind})`} />
                {(e.kind === 'no-grant' || e.kind === 'private') && flagAt && (
                  <g class="flag" transform={`translate(${flagAt.x - 8},${flagAt.y - 7})`}>
                    <rect width="16" height="14" rx="3" />
                    <text x="8" y="11" text-anchor="middle" aria-hidden="true">
                      ✕
                    </text>
                  </g>
                )}
              </a>
            );
          })}
        </g>
        <g class="nodes">
          {graph.nodes.map((n) => {
            const classes = ['node', `node-${n.kind}`, n.visibility && `vis-${n.visibility}`, n.undeclared && 'undeclared', n.focus && 'focus'].filter(Boolean).join(' ');
            return (
              <a href={href(n.href)} class={classes} data-node={n.id} aria-label={n.title}>
                <title>{n.title}</title>
                <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={n.kind === 'topic' ? 16 : 4} />
                <text x={n.x + 12} y={n.y + 17} class="label" font-size={FONT.label}>
                  {n.label + ' '}
                  {/* One text element, so the visible words read "label sublabel" as the link's name does. */}
                  <tspan x={n.x + 12} y={n.y + 33} class="sublabel" font-size={FONT.sublabel}>
                    {n.sublabel}
                  </tspan>
                </text>
              </a>
            );
          })}
        </g>
      </svg>
    </section>
  );
}

const EDGE_KINDS: readonly EdgeKind[] = ['owns', 'writes', 'public', 'granted', 'no-grant', 'private', 'undeclared'];

/** The edge kinds the graph has, each drawn as in the graph and said in words. */
export function GraphLegend(props: { graph: LaidOutGraph }): VNode {
  const present = new Set(props.graph.edges.map((e) => e.kind));
  const kinds = EDGE_KINDS.filter((kind) => present.has(kind));
  return (
    <ul class="legend" aria-label="Legend">
      {kinds.map((kind) => (
        <li>
          <svg width="44" height="12" aria-hidden="true" class={`edge edge-${kind}`}>
            <path class="line" d="M2,6 L42,6" />
          </svg>
          {kind === 'owns' ? 'product publishes topic' : kind === 'writes' ? "product writes to another's input topic (grant-write)" : `consumed: ${describeEdge(kind)}`}
        </li>
      ))}
    </ul>
  );
}

/** Where a mark on the edge is easiest to see and to tell apart from its neighbours'. */
function middleOfLongestSegment(points: Point[]): Point | undefined {
  let best: [Point, Point] | undefined;
  for (let i = 1; i < points.length; i++) {
    if (!best || distance(points[i - 1], points[i]) > distance(best[0], best[1])) best = [points[i - 1], points[i]];
  }
  return best && { x: (best[0].x + best[1].x) / 2, y: (best[0].y + best[1].y) / 2 };
}

/** An orthogonal route with slightly rounded corners. */
function pathOf(points: Point[]): string {
  if (points.length === 0) return '';
  const r = 6;
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i];
    const next = points[i + 1];
    if (!next) {
      d += ` L${p.x},${p.y}`;
      break;
    }
    const prev = points[i - 1];
    const into = Math.min(r, distance(prev, p) / 2);
    const out = Math.min(r, distance(p, next) / 2);
    const a = towards(p, prev, into);
    const b = towards(p, next, out);
    d += ` L${a.x},${a.y} Q${p.x},${p.y} ${b.x},${b.y}`;
  }
  return d;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function towards(from: Point, to: Point, length: number): Point {
  const d = distance(from, to) || 1;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { x: round(from.x + ((to.x - from.x) * length) / d), y: round(from.y + ((to.y - from.y) * length) / d) };
}
