import { escapeControlCharacters } from './controlCharacters.js';

/**
 * Progress for long runs, on stderr. Silent when stderr is not a terminal or when the user asked for --quiet,
 * so scripts and CI logs stay clean.
 */
export interface ProgressOptions {
  label: string;
  total: number;
  unit?: string; // what `done` counts, e.g. "sequences"
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
}

export class Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private readonly startedAt = Date.now();
  private lastDrawnAt = 0;
  private done = 0;
  private rateCount = 0;
  /** The label as drawn: it may hold a model folder's name, whose control characters must not reach the terminal. */
  private readonly label: string;

  constructor(private readonly options: ProgressOptions) {
    this.label = escapeControlCharacters(options.label);
    this.stream = options.stream ?? process.stderr;
    this.enabled = !options.quiet && Boolean(this.stream.isTTY);
  }

  /** Adds `steps` finished units; `work` counts something whose rate is worth showing (e.g. forward-pass tokens). */
  tick(steps = 1, work = 0): void {
    this.done += steps;
    this.rateCount += work;
    const now = Date.now();
    if (this.enabled && (now - this.lastDrawnAt > 200 || this.done >= this.options.total)) {
      this.lastDrawnAt = now;
      this.draw(now);
    }
  }

  private draw(now: number): void {
    const seconds = (now - this.startedAt) / 1000;
    const fraction = this.options.total > 0 ? this.done / this.options.total : 1;
    const left = fraction > 0 ? (seconds / fraction) * (1 - fraction) : NaN;
    const rate = this.rateCount > 0 && seconds > 0 ? `, ${Math.round(this.rateCount / seconds)} tokens/s` : '';
    const eta = Number.isFinite(left) ? `, ${formatDuration(left)} left` : '';
    const unit = this.options.unit ? ` ${this.options.unit}` : '';
    this.stream.write(`\r\x1b[K${this.label}: ${this.done}/${this.options.total}${unit}${rate}${eta}`);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }

  /** Shows what a long step without countable units is doing (e.g. fitting), until the next draw or finish. */
  say(text: string): void {
    if (this.enabled) this.stream.write(`\r\x1b[K${this.label}: ${text}`);
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
