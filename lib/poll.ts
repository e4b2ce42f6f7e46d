// Polling with a deadline: the only way the harness waits for something to become true.
// On timeout the error names what was awaited and what was last seen, so a failed wait explains itself.
import { setTimeout as delay } from 'node:timers/promises';

export interface PollOptions<T> {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** Pause between attempts (ms). Default 250. */
  intervalMs?: number;
  /** What is awaited, for the timeout message, e.g. "scan of p/r@sha256:… to finish". */
  describe: string;
  /**
   * Decides whether a value ends the wait. Default: any truthy value.
   * Use it when the polled function returns a state (e.g. a scan status) rather than a boolean.
   */
  accept?: (value: T) => boolean;
  /** Render the last value for the timeout message. Default: JSON, truncated. */
  show?: (value: T) => string;
  /** If true (default), an exception thrown by fn is remembered as "last seen" and polling goes on. */
  retryOnError?: boolean;
  signal?: AbortSignal;
}

export class PollTimeoutError extends Error {
  override name = 'PollTimeoutError';
  readonly lastValue: unknown;
  readonly lastError: unknown;
  readonly attempts: number;
  constructor(message: string, details: { lastValue: unknown; lastError: unknown; attempts: number }) {
    super(message);
    this.lastValue = details.lastValue;
    this.lastError = details.lastError;
    this.attempts = details.attempts;
  }
}

const MAX_SHOWN = 500;

function showDefault(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} chars)` : text;
}

/**
 * Calls `fn` until its result is accepted (truthy by default) and returns that result.
 * Throws PollTimeoutError after `timeoutMs`, naming what was awaited and the last value or error seen.
 */
export async function pollUntil<T>(fn: () => T | Promise<T>, options: PollOptions<T>): Promise<T> {
  const { timeoutMs, describe, signal } = options;
  const intervalMs = options.intervalMs ?? 250;
  const accept = options.accept ?? ((value: T) => Boolean(value));
  const show = options.show ?? showDefault;
  const retryOnError = options.retryOnError ?? true;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let attempts = 0;
  let seenValue = false;
  let lastValue: T | undefined;
  let lastError: unknown;

  for (;;) {
    signal?.throwIfAborted();
    attempts += 1;
    try {
      const value = await fn();
      seenValue = true;
      lastValue = value;
      lastError = undefined;
      if (accept(value)) return value;
    } catch (error) {
      if (!retryOnError) throw error;
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await delay(Math.min(intervalMs, remaining), undefined, { signal });
  }

  const elapsed = Date.now() - started;
  const last =
    lastError !== undefined
      ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
      : seenValue
        ? `last seen: ${show(lastValue as T)}`
        : 'nothing seen';
  throw new PollTimeoutError(`Timed out after ${elapsed} ms (${attempts} attempts) waiting for ${describe}; ${last}`, {
    lastValue,
    lastError,
    attempts,
  });
}
