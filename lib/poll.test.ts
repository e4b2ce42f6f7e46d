import { describe, expect, it } from 'vitest';
import { PollTimeoutError, pollUntil } from './poll.ts';

describe('pollUntil', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    const value = await pollUntil(() => (++n >= 3 ? `done-${n}` : ''), {
      timeoutMs: 2000,
      intervalMs: 1,
      describe: 'counter to reach 3',
    });
    expect(value).toBe('done-3');
  });

  it('uses accept for state values', async () => {
    const states = ['Pending', 'Running', 'Success'];
    let i = 0;
    const state = await pollUntil(() => states[Math.min(i++, 2)], {
      timeoutMs: 2000,
      intervalMs: 1,
      describe: 'scan to finish',
      accept: (s) => s === 'Success' || s === 'Error',
    });
    expect(state).toBe('Success');
  });

  it('on timeout names what was awaited and the last value seen', async () => {
    const error = await pollUntil(() => ({ scan_status: 'Running' }), {
      timeoutMs: 30,
      intervalMs: 5,
      describe: 'scan of p/r to finish',
      accept: (v) => v.scan_status === 'Success',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollTimeoutError);
    expect((error as Error).message).toMatch(
      /waiting for scan of p\/r to finish; last seen: \{"scan_status":"Running"\}/,
    );
  });

  it('remembers the last error and keeps polling', async () => {
    let n = 0;
    const value = await pollUntil(
      () => {
        if (++n < 3) throw new Error('connection refused');
        return true;
      },
      { timeoutMs: 2000, intervalMs: 1, describe: 'registry' },
    );
    expect(value).toBe(true);
    const error = await pollUntil(
      () => {
        throw new Error('ECONNREFUSED 127.0.0.1:1');
      },
      { timeoutMs: 20, intervalMs: 5, describe: 'registry to answer' },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toContain('last error: ECONNREFUSED 127.0.0.1:1');
  });
});
