// WWW-Authenticate parsing (RFC 7235): `Bearer realm="…",service="…",scope="…"`, `Basic realm="harbor"`.

export interface AuthChallenge {
  /** Lower case: "bearer", "basic", … */
  scheme: string;
  /** Parameter names in lower case; quoted values unescaped. */
  params: Record<string, string>;
}

/** Parses every challenge of a WWW-Authenticate header value (several may be comma-separated). */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = () => {
    while (i < n && /[\s,]/.test(header[i]!)) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  let current: AuthChallenge | undefined;
  while (i < n) {
    skipSpace();
    if (i >= n) break;
    const token = readToken();
    if (!token) {
      i++; // stray character: skip it
      continue;
    }
    let j = i;
    while (j < n && header[j] === ' ') j++;
    if (header[j] === '=' && current) {
      i = j + 1;
      while (i < n && header[i] === ' ') i++;
      let value: string;
      if (header[i] === '"') {
        i++;
        let out = '';
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          out += header[i];
          i++;
        }
        i++; // closing quote
        value = out;
      } else {
        const start = i;
        while (i < n && header[i] !== ',') i++;
        value = header.slice(start, i).trim();
      }
      current.params[token.toLowerCase()] = value;
    } else if (header[j] === '=' && !current) {
      // token68 without a scheme: ignore
      i = j + 1;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
      // token68 form (`Negotiate abc==`) is not used by registries; parameters follow.
    }
  }
  return challenges;
}

/** The first challenge of the given scheme, if any. */
export function findChallenge(header: string | undefined, scheme: 'bearer' | 'basic'): AuthChallenge | undefined {
  if (!header) return undefined;
  return parseWwwAuthenticate(header).find((c) => c.scheme === scheme);
}
