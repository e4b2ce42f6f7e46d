import { describe, expect, it } from 'vitest';
import { expectOutcomes, outcomeTable } from './expected-outcomes.ts';

describe('expectOutcomes', () => {
  const refused = {
    status: 412,
    code: 'PRECONDITION',
    message: 'the tag v1 configured as immutable, cannot be deleted',
  };
  it('passes when every answer is the expected one', () => {
    expect(() =>
      expectOutcomes(
        [
          {
            what: 'tag delete',
            got: refused,
            want: { status: 412, code: 'PRECONDITION', message: /cannot be deleted/ },
          },
          { what: 'push by digest', got: { status: 201, code: '', message: '' }, want: 'accepted' },
        ],
        'deletes',
      ),
    ).not.toThrow();
  });
  it('names every row that differs', () => {
    const rows = [
      { what: 'tag delete', got: refused, want: { status: 412, code: 'PRECONDITION' } },
      { what: 'artifact delete', got: { status: 200, code: '', message: '' }, want: { status: 412 } },
      {
        what: 'repository delete',
        got: { status: 412, code: 'PRECONDITION', message: 'x' },
        want: { status: 412, message: 'y' },
      },
    ];
    expect(() => expectOutcomes(rows, 'deletes')).toThrow(/2 of 3 answers differ/);
    expect(outcomeTable(rows)).toContain('FAIL artifact delete: 200 (Harbor: 412)');
  });
});
