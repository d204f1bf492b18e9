/**
 * A preload (`node --require <file>`) that counts the worker threads node starts in the process,
 * by wrapping node's own Worker class, and writes the count to $COUNT_FILE when the process exits:
 * how the thread tests know the threads really ran.
 */
export const COUNT_PRELOAD = `
const threads = require('node:worker_threads');
const Worker = threads.Worker;
let started = 0;
threads.Worker = class extends Worker {
  constructor(...args) {
    super(...args);
    started++;
  }
};
process.on('exit', () => require('node:fs').writeFileSync(process.env.COUNT_FILE, String(started)));
`;
