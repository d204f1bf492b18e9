/** Requests served, by Kafka API name, across every node. */
export class RequestStats {
  private counts: Record<string, number> = {};

  record(apiName: string): void {
    this.counts[apiName] = (this.counts[apiName] ?? 0) + 1;
  }

  snapshot(): { requests: Record<string, number> } {
    return { requests: { ...this.counts } };
  }

  reset(): void {
    this.counts = {};
  }
}
