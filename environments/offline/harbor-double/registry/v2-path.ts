// Classifies a /v2 request path the way Harbor's middlewares see it.

export type V2Target =
  | { kind: 'login' }
  | { kind: 'catalog' }
  | { kind: 'manifest'; repository: string; reference: string }
  | { kind: 'blob'; repository: string; digest: string }
  | { kind: 'blob-upload'; repository: string; uploadId: string | undefined }
  | { kind: 'tags'; repository: string }
  | { kind: 'referrers'; repository: string; digest: string }
  | { kind: 'unknown' };

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `${COMPONENT}(?:/${COMPONENT})*`;
const patterns: Array<[RegExp, (m: RegExpMatchArray) => V2Target]> = [
  [new RegExp(`^/v2/(${NAME})/manifests/([^/]+)$`), (m) => ({ kind: 'manifest', repository: m[1]!, reference: m[2]! })],
  [
    new RegExp(`^/v2/(${NAME})/blobs/uploads/?$`),
    (m) => ({ kind: 'blob-upload', repository: m[1]!, uploadId: undefined }),
  ],
  [
    new RegExp(`^/v2/(${NAME})/blobs/uploads/([^/]+)$`),
    (m) => ({ kind: 'blob-upload', repository: m[1]!, uploadId: m[2]! }),
  ],
  [new RegExp(`^/v2/(${NAME})/blobs/([^/]+)$`), (m) => ({ kind: 'blob', repository: m[1]!, digest: m[2]! })],
  [new RegExp(`^/v2/(${NAME})/tags/list$`), (m) => ({ kind: 'tags', repository: m[1]! })],
  [new RegExp(`^/v2/(${NAME})/referrers/([^/]+)$`), (m) => ({ kind: 'referrers', repository: m[1]!, digest: m[2]! })],
];

export function classifyV2Path(path: string): V2Target {
  if (path === '/v2' || path === '/v2/') return { kind: 'login' };
  if (path === '/v2/_catalog') return { kind: 'catalog' };
  for (const [regex, build] of patterns) {
    const match = path.match(regex);
    if (match) return build(match);
  }
  return { kind: 'unknown' };
}

/** The repository action a method needs (Harbor's access.go): reads pull, writes push, DELETE delete. */
export function actionForMethod(method: string): 'pull' | 'push' | 'delete' | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return 'pull';
    case 'POST':
    case 'PUT':
    case 'PATCH':
      return 'push';
    case 'DELETE':
      return 'delete';
    default:
      return undefined;
  }
}

/** The scope Harbor puts in its challenge for an action. */
export function challengeScope(repository: string, action: 'pull' | 'push' | 'delete'): string {
  return `repository:${repository}:${action === 'push' ? 'pull,push' : action}`;
}
