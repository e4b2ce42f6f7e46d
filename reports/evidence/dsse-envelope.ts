// DSSE (Dead Simple Signing Envelope, https://github.com/secure-systems-lab/dsse/blob/master/envelope.md):
// the signature covers PAE(payloadType, payload), never the JSON around it. ECDSA P-256 / SHA-256 with an
// ASN.1 DER signature, the form cosign writes and `cosign verify-blob-attestation --key` checks. The PAE
// and the verification come from sigstore-js (@sigstore/core), the code sigstore's own verifier runs.
import { createHash, sign, type KeyObject } from 'node:crypto';
import { crypto as sigstoreCrypto, dsse } from '@sigstore/core';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseEnvelope {
  payloadType: string;
  /** Base64 of the payload bytes. */
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** The pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  return dsse.preAuthEncoding(payloadType, payload);
}

export function signEnvelope(payloadType: string, payload: Buffer, privateKey: KeyObject, keyid = ''): DsseEnvelope {
  const sig = sign('sha256', preAuthEncoding(payloadType, payload), privateKey);
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid, sig: sig.toString('base64') }] };
}

/** True when any signature verifies with the key. */
export function verifyEnvelope(envelope: DsseEnvelope, publicKey: KeyObject): boolean {
  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = preAuthEncoding(envelope.payloadType, payload);
  return envelope.signatures.some((s) => {
    try {
      return sigstoreCrypto.verify(pae, publicKey, Buffer.from(s.sig, 'base64'), 'sha256');
    } catch {
      return false;
    }
  });
}

/** A key id people can compare: sha256 of the public key's SubjectPublicKeyInfo (DER), hex. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}
