import { generateKeyPairSync } from 'node:crypto';
import { expect, test } from 'vitest';
import { preAuthEncoding, signEnvelope, verifyEnvelope } from './dsse-envelope.ts';

test('PAE is the DSSE v1 encoding (the spec example: type "http://example.com/HelloWorld", body "hello world")', () => {
  expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
    'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
  );
});

test('an envelope verifies with its key only, and not once the payload type or payload changes', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const envelope = signEnvelope('application/vnd.in-toto+json', Buffer.from('{"a":1}'), privateKey, 'k');
  expect(verifyEnvelope(envelope, publicKey)).toBe(true);
  expect(verifyEnvelope(envelope, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey)).toBe(false);
  expect(verifyEnvelope({ ...envelope, payloadType: 'text/plain' }, publicKey)).toBe(false);
  expect(verifyEnvelope({ ...envelope, payload: Buffer.from('{"a":2}').toString('base64') }, publicKey)).toBe(false);
});
