import { describe, expect, it } from 'vitest';
import { parseTaskLogTable } from './task-log-table.ts';

// The table of goharbor/harbor#20996 (a v2.11 task log), shortened to two rows.
const log = `2024-09-24T09:56:20Z [INFO] [/pkg/retention/job.go:101]: Load 2 candidates from repository docker/alpine-tools
2024-09-24T09:56:20Z [INFO] [/pkg/retention/job.go:212]: 
|                                 Digest                                  | Tag | Kind  | Labels |     PushedTime      | PulledTime |     CreatedTime     | Retention |
|-------------------------------------------------------------------------|-----|-------|--------|---------------------|------------|---------------------|-----------|
| sha256:45d9d35b558f9f7ac7f6e91d22db8c95f4deb7e05b5b690f4262bf6e29e004d0 |   3 | image |        | 2024/07/04 10:20:28 |            | 2024/07/04 10:20:28 | DEL       |
| sha256:55d9d35b558f9f7ac7f6e91d22db8c95f4deb7e05b5b690f4262bf6e29e004d0 | a,b | image |        | 2024/07/04 10:20:28 |            | 2024/07/04 10:20:28 | IMMUTABLE |

2024-09-24T09:56:21Z [INFO] [/pkg/retention/job.go:216]: done`;

describe('parseTaskLogTable', () => {
  it('reads digest, tags and retention of every row', () => {
    const rows = parseTaskLogTable(log);
    expect(rows.map((r) => [r.digest.slice(0, 11), r.tags, r.retention])).toEqual([
      ['sha256:45d9', ['3'], 'DEL'],
      ['sha256:55d9', ['a', 'b'], 'IMMUTABLE'],
    ]);
    expect(rows[0]!.pulledTime).toBe('');
  });
  it('finds no rows in a log without a table', () => {
    expect(parseTaskLogTable('2024-09-24T09:56:20Z [ERROR] retention job: boom')).toEqual([]);
  });
});
