/** Runs one benchmark module's default-named export (`bench<Part>`) and prints its peak RSS. */
import { basename } from 'node:path';

async function run(): Promise<void> {
  const file = process.argv[2];
  const name = basename(file, '.ts');
  const mod = await import(file);
  const fn = mod[`bench${name[0].toUpperCase()}${name.slice(1)}`];
  if (typeof fn !== 'function') throw new Error(`${file} exports no bench${name} function`);
  await fn();
}

run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
