// Name rules Harbor applies to projects and robots (policy-facts §2.1, §3.1).
const NAME_REGEX = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function isValidProjectName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && NAME_REGEX.test(name);
}

export function isValidRobotName(name: string): boolean {
  return NAME_REGEX.test(name);
}
