// A webhook target's address as Harbor stores it (goharbor/harbor src/server/v2.0/handler/webhook.go validateTargets,
// src/common/utils/utils.go ParseEndpoint@v2.15.2): trimmed, trailing "/" removed, `http://` added when no scheme
// is given, any scheme but http/https refused, then reduced to scheme://host/path — user info, query and fragment
// are dropped ("Prevent SSRF security issue #3755"). Harbor v2.15 refuses no address by what it points at:
// loopback, link-local and private addresses are accepted (the IP filter of goharbor/harbor#23568 is not merged).

export type TargetAddress = { ok: true; address: string } | { ok: false; message: string };

export function normaliseTargetAddress(raw: string): TargetAddress {
  const endpoint = raw.trim().replace(/\/+$/, '');
  if (endpoint === '') return { ok: false, message: 'empty URL' };
  const at = endpoint.indexOf('://');
  if (at >= 0) {
    const scheme = endpoint.slice(0, at);
    if (scheme !== 'http' && scheme !== 'https') return { ok: false, message: `invalid scheme: ${scheme}` };
  }
  const withScheme = at >= 0 ? endpoint : `http://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: `parse "${withScheme}": invalid URI for request` };
  }
  const path = url.pathname === '/' && !/^[a-z]+:\/\/[^/]*\//.test(withScheme) ? '' : url.pathname;
  return { ok: true, address: `${url.protocol}//${url.host}${path}` };
}
