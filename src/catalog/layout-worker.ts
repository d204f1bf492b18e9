/** A worker thread's ELK (see layoutGraph in lineage.ts): one instance per thread, a layout per task. */
const ELK = require('elkjs/lib/elk.bundled.js') as new () => { layout(graph: unknown): Promise<unknown> };

const elk = new ELK();

export = function layout(graph: unknown): Promise<unknown> {
  return elk.layout(graph);
};
