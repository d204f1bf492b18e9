export interface Faults {
  /** Serve this many more requests (across all nodes and connections), then drop the connection carrying the next one. One-shot. */
  dropConnectionAfterRequests?: number;
  /** Wait this long before writing each response. */
  delayMs?: number;
}

/** Fault injection shared by every node of one test broker, for resilience tests of callers. */
export class FaultPlan {
  private remainingBeforeDrop: number | null = null;
  private delay = 0;

  constructor(faults: Faults = {}) {
    this.set(faults);
  }

  set(faults: Faults): void {
    this.remainingBeforeDrop = faults.dropConnectionAfterRequests ?? null;
    this.delay = faults.delayMs ?? 0;
  }

  get delayMs(): number {
    return this.delay;
  }

  /** Called once per request; true means: close this connection instead of answering. */
  shouldDrop(): boolean {
    if (this.remainingBeforeDrop === null) return false;
    if (this.remainingBeforeDrop > 0) {
      this.remainingBeforeDrop--;
      return false;
    }
    this.remainingBeforeDrop = null;
    return true;
  }
}
