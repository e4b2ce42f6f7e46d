// Which media type a swagger-served Harbor endpoint answers with, as go-openapi's runtime decides it
// (github.com/go-openapi/runtime middleware NegotiateContentType, used by goharbor/harbor
// src/server/v2.0/restapi@v2.15.x): no Accept → the first offer; otherwise the offer matched with the
// highest q, an exact match beating type/* beating */*, and on a tie the earlier offer wins (not the
// earlier Accept entry). No match → undefined (Harbor then answers 422, see unsupportedMediaType).
export function negotiateContentType(accept: string | undefined, offers: readonly string[]): string | undefined {
  const specs = parseAccept(accept);
  if (specs.length === 0) return offers[0];
  let best: string | undefined;
  let bestQ = -1;
  let bestWild = 3;
  for (const offer of offers) {
    const normalised = offer.split(';')[0]!.trim().toLowerCase();
    for (const spec of specs) {
      if (spec.q === 0 || spec.q < bestQ) continue;
      const wild = spec.value === '*/*' ? 2 : spec.value.endsWith('/*') ? 1 : 0;
      const matches =
        wild === 2 || (wild === 1 ? normalised.startsWith(spec.value.slice(0, -1)) : spec.value === normalised);
      if (matches && (spec.q > bestQ || bestWild > wild)) {
        bestQ = spec.q;
        bestWild = wild;
        best = offer;
      }
    }
  }
  return best;
}

/** The 422 body go-openapi sends when no offer matches (observed on real Harbor v2.15.2 for GET /ping, Accept: text/html). */
export function unsupportedMediaTypeMessage(offers: readonly string[]): string {
  return `validation failure list:\nunsupported media type requested, only [${offers.join(' ')}] are available`;
}

function parseAccept(accept: string | undefined): Array<{ value: string; q: number }> {
  if (!accept) return [];
  return accept
    .split(',')
    .map((part) => {
      const [value = '', ...params] = part.split(';').map((p) => p.trim());
      const qParam = params.find((p) => p.toLowerCase().startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { value: value.toLowerCase(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((spec) => spec.value !== '');
}
