import { describe, expect, it } from 'vitest';
import { formatStorage } from './storage-size.ts';

describe('formatStorage (Harbor byteCountToDisplaySize)', () => {
  it('prints bytes below 1 KiB and one decimal with a binary unit above', () => {
    expect(formatStorage(0)).toBe('0 B');
    expect(formatStorage(1023)).toBe('1023 B');
    expect(formatStorage(1024)).toBe('1.0 KiB');
    expect(formatStorage(1536)).toBe('1.5 KiB');
    expect(formatStorage(10 * 1024 * 1024)).toBe('10.0 MiB');
    expect(formatStorage(3 * 1024 ** 3 + 1)).toBe('3.0 GiB');
  });
});
