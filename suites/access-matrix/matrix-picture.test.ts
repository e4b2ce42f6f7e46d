import { describe, expect, it } from 'vitest';
import type { Cell } from './matrix-cells.ts';
import { renderMatrixHtml } from './matrix-picture.ts';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyb2JvdCRvcHMifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';

describe('the access-matrix picture', () => {
  it('shows a differing cell with its answer, never the token or robot secret the answer carries', () => {
    const cell = (key: string, body: string): Cell =>
      ({
        key,
        area: 'token',
        identity: 'guest',
        operation: 'GET /service/token push',
        kind: 'oth',
        expected: 'no push',
        actual: 'push granted',
        ok: false,
        request: { method: 'GET', path: '/service/token?scope=repository:p/r:push', headers: {} },
        answer: { status: 200, headers: {}, body },
      }) as unknown as Cell;
    const html = renderMatrixHtml('m', [
      cell('a', JSON.stringify({ token: jwt, expires_in: 1800 })),
      cell('b', `{"name":"robot$ops","secret":"Rb0t-Secret-Value-123"}${' '.repeat(2000)}`),
    ]);
    expect(html).toContain('push granted');
    expect(html).toContain('expires_in');
    expect(html).not.toContain(jwt.slice(0, 30));
    expect(html).not.toContain('Rb0t-Secret-Value-123');
  });
});
