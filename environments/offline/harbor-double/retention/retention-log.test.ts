import { describe, expect, it } from 'vitest';
import { GO_ZERO_UNIX } from './retention-evaluation.ts';
import { renderRetentionTable, tableTime } from './retention-log.ts';

describe('renderRetentionTable', () => {
  it('renders tablewriter rows: centred header, numbers right-aligned, empty times for never', () => {
    const table = renderRetentionTable(
      [
        {
          digest: 'sha256:aa',
          tags: ['3'],
          pushedTime: 1_720_088_428,
          pulledTime: GO_ZERO_UNIX,
          creationTime: 1_720_088_428,
        },
        {
          digest: 'sha256:bb',
          tags: ['v1', 'latest'],
          pushedTime: 1_720_088_428,
          pulledTime: 1_720_088_428,
          creationTime: 1_720_088_428,
        },
      ],
      new Map([['sha256:aa', 'DEL' as const]]),
    );
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '|  Digest   |    Tag    | Kind  | Labels |     PushedTime      |     PulledTime      |     CreatedTime     | Retention |',
    );
    expect(lines[1]).toMatch(/^\|-+\|-+\|-+\|-+\|-+\|-+\|-+\|-+\|$/);
    expect(lines[2]).toBe(
      '| sha256:aa |         3 | image |        | 2024/07/04 10:20:28 |                     | 2024/07/04 10:20:28 | DEL       |',
    );
    expect(lines[3]).toContain('| v1,latest | image |');
    expect(lines[3]).toMatch(/\| RETAIN {4}\|$/);
    expect(tableTime(0)).toBe('');
  });
});
