// Redaction: nothing secret leaves the harness in evidence, reports or logs.
// Removes Authorization values, bearer/basic credentials, JWTs, PEM private keys, secret-named JSON
// fields, credentials in URLs, and every string registered in a SecretRegistry (also in its
// URL-encoded, JSON-escaped and base64 forms, so `Basic base64(user:secret)` cannot slip through).

export const REDACTED = '[REDACTED]';

/** JSON keys whose values are secrets (matched on the whole key or its last `_`/`-` word). */
const SECRET_KEY =
  /^(?:.*[_-])?(?:secret|secrets|password|passwd|passphrase|token|access_token|refresh_token|id_token|private_key|privatekey|credential|credentials|authorization|cookie)$/i;

/** Query parameters whose values are secrets. */
const SECRET_QUERY_PARAM =
  /^(?:.*[_-])?(?:secret|password|passwd|token|access_token|refresh_token|id_token|signature|x-amz-signature|x-amz-credential|x-amz-security-token|sig)$/i;

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

// `Bearer <token>` / `Basic <base64>`, but not the challenge form `Bearer realm="…"`.
const SCHEME_CREDENTIAL =
  /\b(Bearer|Basic)(\s+)(?!(?:realm|service|scope|error|error_description|error_uri|charset)\s*=)[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// A PEM private key block of any flavour (RSA, EC, ENCRYPTED, OPENSSH, ENCRYPTED SIGSTORE…),
// also when cut off before its END line (a truncated body must not leak half a key).
const PEM_PRIVATE_KEY = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:"']*:[^\s/@"']*@/gi;

/** Secrets the harness knows (admin password, robot secrets, keys): removed wherever they appear. */
export class SecretRegistry {
  #secrets = new Set<string>();
  #forms: string[] = [];

  /** Registers a secret. Strings shorter than 4 characters are refused: redacting them would garble evidence. */
  add(secret: string | undefined | null): this {
    if (!secret) return this;
    if (secret.length < 4) throw new Error('SecretRegistry: refusing a secret shorter than 4 characters');
    if (this.#secrets.has(secret)) return this;
    this.#secrets.add(secret);
    this.#forms = [...new Set([...this.#forms, ...encodedForms(secret)])].sort((a, b) => b.length - a.length);
    return this;
  }

  get size(): number {
    return this.#secrets.size;
  }

  /** Replaces every registered secret (in any of its encoded forms) with [REDACTED]. */
  scrub(text: string): string {
    let out = text;
    for (const form of this.#forms) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  }
}

/**
 * The forms a secret takes on the wire: raw, URL-encoded, form-encoded, JSON-escaped, and the
 * alignment-independent cores of its base64 (standard and URL-safe) at each of the 3 byte offsets.
 */
function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  const bytes = Buffer.from(secret, 'utf8');
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const fullGroups = Math.floor(padded.length / 3);
    const start = offset === 0 ? 0 : 4; // the first group mixes in unknown preceding bytes
    const end = fullGroups * 4; // a trailing partial group depends on unknown following bytes
    if (end - start < 6) continue; // too short to be distinctive
    const core = padded.toString('base64').slice(start, end);
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((f) => f.length >= 4);
}

/** Redacts credentials and registered secrets in free text. */
export function redactText(text: string, secrets?: SecretRegistry): string {
  let out = secrets ? secrets.scrub(text) : text;
  out = out.replace(
    PEM_PRIVATE_KEY,
    (_m, label: string) => `-----BEGIN ${label}-----${REDACTED}-----END ${label}-----`,
  );
  out = out.replace(JWT, REDACTED);
  out = out.replace(SCHEME_CREDENTIAL, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
  out = out.replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`);
  return out;
}

/** Deep-copies a JSON value with secret-named fields replaced and every string passed through redactText. */
export function redactJson(value: unknown, secrets?: SecretRegistry, insideSecret = false): unknown {
  if (typeof value === 'string') {
    if (insideSecret && value !== '') return REDACTED;
    return redactText(value, secrets);
  }
  if (typeof value === 'number') return insideSecret ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets, insideSecret));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = redactJson(item, secrets, insideSecret || SECRET_KEY.test(key));
    }
    return out;
  }
  return value;
}

/** Redacts a body: as JSON when it parses (secret fields), otherwise as text. */
export function redactBody(body: string, secrets?: SecretRegistry): string {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(body), secrets));
    } catch {
      // not JSON after all (or truncated): fall through to text redaction
    }
  }
  return redactText(body, secrets);
}

/** Redacts one header value; credential headers keep only their scheme (`Bearer [REDACTED]`). */
export function redactHeader(name: string, value: string, secrets?: SecretRegistry): string {
  if (CREDENTIAL_HEADERS.has(name.toLowerCase())) {
    const scheme = /^\s*(Bearer|Basic|Digest|Negotiate|token)\s/i.exec(value)?.[1];
    return scheme ? `${scheme} ${REDACTED}` : REDACTED;
  }
  return redactText(value, secrets);
}

export function redactHeaders(headers: Record<string, string>, secrets?: SecretRegistry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redactHeader(name, value, secrets);
  return out;
}

/** Redacts credentials in a URL: userinfo, secret-named query parameters, registered secrets. */
export function redactUrl(url: string, secrets?: SecretRegistry): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, secrets);
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = 'REDACTED';
    parsed.password = '';
    changed = true;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_PARAM.test(key)) {
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  const text = changed ? parsed.toString() : url;
  return redactText(text, secrets);
}
