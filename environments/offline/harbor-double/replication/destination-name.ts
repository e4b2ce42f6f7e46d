// Where a source repository lands (goharbor/harbor src/controller/replication/flow/stage.go replaceNamespace@v2.15.2):
// for a/b/c/image and namespace n, replace count -1 → n/image (legacy), 0 → n/a/b/c/image, 1 → n/b/c/image,
// 3 → n/image, 4 → error; an empty namespace keeps the name. A Harbor destination needs at least 2 components.
import { badRequest } from '../harbor-error.ts';

export type PathComponentRule = 'any' | 'at-least-two';

export function destinationRepository(
  repository: string,
  namespace: string,
  replaceCount: number,
  rule: PathComponentRule,
  options: { flattenOneLevelLess?: boolean } = {},
): string {
  if (namespace === '') return repository;
  const components = repository.split('/');
  const length = components.length;
  // dest-namespace-replace-count-off-by-one: one component fewer is dropped than asked for.
  const count = options.flattenOneLevelLess && replaceCount > 0 ? replaceCount - 1 : replaceCount;
  let prefix: string;
  if (count < 0) prefix = namespace;
  else if (count > length - 1)
    throw badRequest(
      `the source repository "${repository}" contains only ${length - 1} path components [${components.slice(0, length - 1).join(' ')}] excepting the last one, but the destination namespace flattening level is ${count}`,
    );
  else prefix = [namespace, ...components.slice(count, length - 1)].join('/');
  const destination = `${prefix}/${components[length - 1]}`.replace(/\/+/g, '/');
  const destinationLength = destination.split('/').length;
  if (rule === 'at-least-two' && destinationLength < 2)
    throw badRequest(
      `the destination repository "${destination}" contains only ${destinationLength} path components [${destination}], but the destination registry requires at least 2`,
    );
  return destination;
}
