/**
 * What a real peer is to `npm run peers`: a pinned thing fetched or built into its own cache folder,
 * the environment it adds when installed, and the foreground commands it serves (`peers kafka ...`).
 */
export interface PeerEnv {
  /** Folders put in front of PATH. */
  path?: string[];
  /** Variables exported as they are. */
  vars?: Record<string, string>;
}

export interface InstallContext {
  /** The folder to fill; it becomes `<cache>/<name>-<version>` only when install resolves. */
  dir: string;
  /** Shared caches that survive reinstalls (Maven repository, Go module and build caches). */
  sharedCache: string;
  /** Progress for humans, on stderr. */
  log(message: string): void;
}

export interface Peer {
  name: string;
  version: string;
  /** One line for `peers list` and errors. */
  description: string;
  /** Programs install needs on PATH, each with how to get it (named in the exit-2 error when missing). */
  tools: Record<string, string>;
  /** Peers whose installed folders this one builds from; `install <name>` installs them first. */
  requires?: string[];
  install(ctx: InstallContext): Promise<void>;
  /**
   * Why an installed peer cannot serve now, for what lives outside its folder (a daemon, images in
   * an engine); undefined when it can. `install` installs again when this gives a reason.
   */
  check?(home: string): string | undefined;
  /** What `peers env` prints for this peer, given its installed folder. */
  env(home: string): PeerEnv;
  /** Foreground commands (`npm run -s peers -- <command> ...`), given the installed folder; resolve to the exit code. */
  commands?: Record<string, (home: string, argv: string[]) => Promise<number>>;
}

/** A failure the user can act on: one line, exit 2, no stack trace. */
export class PeerError extends Error {}
