// Name rules Harbor applies to projects and robots (goharbor/harbor src/server/v2.0/handler/project.go@v2.15.x).
const NAME_REGEX = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function isValidProjectName(name: string): boolean {
  return name.length >= 1 && name.length <= 255 && NAME_REGEX.test(name);
}

export function isValidRobotName(name: string): boolean {
  return NAME_REGEX.test(name);
}
