/**
 * A worker thread's part of `loadMesh` (src/parallel.ts, piscina): a batch of spec files checked
 * with `checkSpecFile`, one loader and set of mesh files per thread and working directory.
 */
import { type CheckContext, type CheckTask, type FileOutcome, checkContext, checkSpecFile } from './check-file';

const contexts = new Map<string, CheckContext>();

export = async function checkFiles(task: CheckTask): Promise<FileOutcome[]> {
  let context = contexts.get(task.cwd);
  if (!context) contexts.set(task.cwd, (context = checkContext(task.cwd)));
  const outcomes: FileOutcome[] = [];
  for (const file of task.files) outcomes.push(await checkSpecFile(context, file));
  return outcomes;
};
