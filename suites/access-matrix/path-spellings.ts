// Spellings of one path that Harbor must treat alike (or refuse): a denial must stay a denial whatever the
// spelling. Classic bypasses: a router that strips a trailing slash or merges `//` after the authorizer looked,
// percent-escapes decoded after the check, `..` resolved after the authorizer took the first segment
// (authorised against a public project, served from a private one), and case folding.

export interface Spelling {
  name: string;
  path: string;
}

interface SpellingContext {
  /** The project name in the path (the denied one). */
  project: string;
  /** A public project the caller may read, for the `..` detour. */
  publicProject: string;
  /** Whether the path names a project. */
  scoped: boolean;
}

function splitQuery(path: string): [string, string] {
  const index = path.indexOf('?');
  return index < 0 ? [path, ''] : [path.slice(0, index), path.slice(index)];
}

const percentEncodeFirst = (name: string) =>
  `%${name.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}${name.slice(1)}`;

export function spellingsOf(path: string, context: SpellingContext): Spelling[] {
  const [pathname, query] = splitQuery(path);
  const prefix = pathname.startsWith('/api/v2.0/') ? '/api/v2.0/' : '/v2/';
  const rest = pathname.slice(prefix.length);
  const spellings: Spelling[] = [
    { name: 'trailing slash', path: `${pathname}/${query}` },
    { name: 'duplicate slash', path: `${prefix}/${rest}${query}` },
    { name: 'upper case', path: `${prefix}${rest.toUpperCase()}${query}` },
  ];
  const segment = `/${context.project}/`;
  if (context.scoped && pathname.includes(segment)) {
    spellings.push({
      name: 'percent-encoded',
      path: pathname.replace(segment, `/${percentEncodeFirst(context.project)}/`) + query,
    });
    spellings.push({
      name: 'dot-dot via public project',
      path: pathname.replace(segment, `/${context.publicProject}/../${context.project}/`) + query,
    });
    spellings.push({
      name: 'encoded dot-dot via public project',
      path: pathname.replace(segment, `/${context.publicProject}/%2e%2e/${context.project}/`) + query,
    });
  } else {
    const [first, ...others] = rest.split('/');
    spellings.push({
      name: 'percent-encoded',
      path: `${prefix}${percentEncodeFirst(first ?? '')}${others.length ? '/' + others.join('/') : ''}${query}`,
    });
    spellings.push({ name: 'dot-dot', path: `${prefix}ping/../${rest}${query}` });
  }
  return spellings;
}
