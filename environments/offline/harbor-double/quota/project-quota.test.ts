import { describe, expect, it } from 'vitest';
import { MAX_STORAGE_LIMIT, quotaLimitError } from './project-quota.ts';

describe('quotaLimitError (lib.ValidateQuotaLimit)', () => {
  it('accepts -1 and positive limits up to 1024 TB, with Harbor’s messages otherwise', () => {
    expect(quotaLimitError(-1)).toBeUndefined();
    expect(quotaLimitError(1)).toBeUndefined();
    expect(quotaLimitError(MAX_STORAGE_LIMIT)).toBeUndefined();
    expect(quotaLimitError(0)).toBe('invalid non-positive value for quota limit, value=0');
    expect(quotaLimitError(-2)).toBe('invalid non-positive value for quota limit, value=-2');
    expect(quotaLimitError(MAX_STORAGE_LIMIT + 1)).toBe(
      `exceeded 1024TB, which is 1125899906842624 Bytes, value=${MAX_STORAGE_LIMIT + 1}`,
    );
  });
});
