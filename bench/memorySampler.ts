/** Peaks seen while sampling: resident set, and what JavaScript holds (V8 heap + external/ArrayBuffer memory). */
export interface MemoryPeaks {
  rss: number;
  heapAndExternal: number;
}

/** What JavaScript holds right now: V8 heap in use plus memory outside it (external includes ArrayBuffers). */
export function heapAndExternal(usage: NodeJS.MemoryUsage = process.memoryUsage()): number {
  return usage.heapUsed + usage.external;
}

/**
 * Samples process.memoryUsage() on a timer. onnxruntime-node runs a session synchronously on the JavaScript
 * thread (inside a setImmediate), so samples land between forward passes, when a batch's inputs are built or
 * its outputs read, never inside one; the kernel's own peak (resourceUsage().maxRSS) covers what they miss.
 */
export class MemorySampler {
  private readonly peaks: MemoryPeaks = { rss: 0, heapAndExternal: 0 };
  private timer?: NodeJS.Timeout;

  start(intervalMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const usage = process.memoryUsage();
    this.peaks.rss = Math.max(this.peaks.rss, usage.rss);
    this.peaks.heapAndExternal = Math.max(this.peaks.heapAndExternal, heapAndExternal(usage));
  }

  stop(): MemoryPeaks {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return { ...this.peaks };
  }
}

/** The kernel's peak resident set of this process so far, in bytes (maxRSS is in kilobytes). */
export function maxResidentBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
