// The messages of Harbor's content-trust pull blocker on a refused GET (goharbor/harbor
// src/server/middleware/contenttrust/contentrust.go@v2.15.x); HEAD answers carry no body.
export const NOT_SIGNED_BY_COSIGN = 'The image is not signed by cosign.';
export const NOT_SIGNED_BY_NOTATION = 'The image is not signed by notation.';
