import { describe, expect, test } from 'vitest';
import { isValidProjectName, isValidRobotName } from './name-rules.ts';

describe('project names', () => {
  test.each(['p1', 'a', 'my-project', 'my.project_2', '0'])('%s is accepted', (name) =>
    expect(isValidProjectName(name)).toBe(true),
  );
  test.each(['', 'Upper', '-lead', 'trail-', 'a--b', 'a b', 'a/b', 'a$b', 'x'.repeat(256)])('%j is rejected', (name) =>
    expect(isValidProjectName(name)).toBe(false),
  );
});

describe('robot names', () => {
  test('no prefix characters, no upper case', () => {
    expect(isValidRobotName('ci')).toBe(true);
    expect(isValidRobotName('robot$ci')).toBe(false);
    expect(isValidRobotName('p+ci')).toBe(false);
    expect(isValidRobotName('CI')).toBe(false);
  });
});
