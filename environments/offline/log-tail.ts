// The last lines a container printed, kept while it starts, so a component that never becomes
// ready can be reported with its own words (testcontainers removes such a container at once).
import type { Readable } from 'node:stream';

export class LogTail {
  private readonly lines: string[] = [];
  private partial = '';
  private readonly max: number;
  private attached = false;
  private ended = false;
  private readonly endWaiters: Array<() => void> = [];

  constructor(max = 20) {
    this.max = max;
  }

  /** Pass to GenericContainer.withLogConsumer. */
  readonly consume = (stream: Readable): void => {
    this.attached = true;
    stream.on('data', (chunk: Buffer | string) => this.push(chunk.toString()));
    stream.on('error', () => this.end());
    stream.on('end', () => this.end());
    stream.on('close', () => this.end());
  };

  private end(): void {
    this.ended = true;
    for (const wake of this.endWaiters.splice(0)) wake();
  }

  /**
   * Resolves once the log stream has ended (the container stopped or is gone), or after `timeoutMs`:
   * a failed container's last lines may still be on their way when its start fails.
   */
  drained(timeoutMs: number): Promise<void> {
    if (this.ended || !this.attached) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.endWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.add(line);
  }

  private add(line: string): void {
    const text = line.trimEnd();
    if (!text) return;
    this.lines.push(text);
    if (this.lines.length > this.max) this.lines.shift();
  }

  last(count: number): string[] {
    const all = this.partial.trim() ? [...this.lines, this.partial.trim()] : this.lines;
    return all.slice(-count);
  }
}
