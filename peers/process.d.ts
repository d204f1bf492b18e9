/** The absolute path of `tool` on PATH, or a PeerError naming it and how to get it. */
export declare function requireTool(tool: string, howToGet: string, env?: NodeJS.ProcessEnv): string;
export interface RunOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /** Prefix for each line of the child's output on stderr; undefined: output is dropped unless it fails. */
    echo?: string;
}
/** Runs a command to completion; on failure the error carries its last output lines. */
export declare function run(command: string, args: string[], options?: RunOptions): Promise<void>;
/**
 * Calls `gone` once when a process that started this one (parent, grandparent, ... up to init)
 * exits. `npm run` passes SIGTERM to its shell, which does not pass it on; a foreground command
 * watches its ancestors so it still stops when whoever started it is gone. Linux only (/proc);
 * elsewhere it watches nothing. Returns a function that stops watching.
 */
export declare function whenAncestorExits(gone: () => void, intervalMs?: number): () => void;
