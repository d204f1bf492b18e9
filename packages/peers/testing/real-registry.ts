/**
 * A real Apicurio Registry for a test file: started from the peers' cache (`npm run peers -- install
 * registry`) on a free port, stopped after the file. Use inside `describeWithPeer('registry', ...)`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CCOMPAT_PATH, registryCommand, waitForRegistry } from '../src/registry-apicurio';
import { freePort } from '../../../src/local-host';

export interface RealRegistry {
  /** Base URL of the Confluent-compatible API, e.g. `http://127.0.0.1:40123/apis/ccompat/v7`. */
  url: string;
  stop(): Promise<void>;
}

export async function startRealRegistry(home: string): Promise<RealRegistry> {
  const port = await freePort();
  const { command, args } = registryCommand(home, '127.0.0.1', port);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  let exited = false;
  const gone = new Promise<void>((resolve) => child.on('exit', () => {
    exited = true;
    resolve();
  }));
  const url = `http://127.0.0.1:${port}${CCOMPAT_PATH}`;
  try {
    await waitForRegistry(url, () => !exited, 90_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${output.join('').slice(-2000)}`);
  }
  return {
    url,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
