import { createPrivateKey, createPublicKey } from 'node:crypto';
import { subtle, type CryptoKey, type CryptoKeyPair } from './x509';

/**
 * Key pairs for the PKI code, as WebCrypto keys (what @peculiar/x509 signs with) that can be written and read as
 * PKCS#8 / SPKI PEM (what node:tls and xml-crypto read).
 */

/** RSA 2048 for everything that may sign SAML (RSA-SHA256) or meet an older gateway; P-256 where speed matters. */
export type KeyType = 'rsa-2048' | 'p-256';

const RSA_PARAMS = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const EC_PARAMS = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const USAGES: ['sign', 'verify'] = ['sign', 'verify'];

/** A fresh, extractable key pair (extractable so that the private key can be written as PEM). */
export async function generateKeyPair(type: KeyType = 'rsa-2048'): Promise<CryptoKeyPair> {
  const params = type === 'rsa-2048'
    ? { ...RSA_PARAMS, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }
    : EC_PARAMS;
  return subtle.generateKey(params, true, USAGES);
}

/** The signature algorithm a key signs certificates with: SHA-256 with RSA PKCS#1 v1.5 or ECDSA. */
export function signingAlgorithm(key: CryptoKey): { name: string; hash: string } {
  return { name: key.algorithm.name, hash: 'SHA-256' };
}

/** The private key as unencrypted PKCS#8 PEM (the file is protected by its mode, 0600). */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Read a PEM private key (PKCS#8, PKCS#1 or SEC1) back into a WebCrypto key pair able to sign certificates. */
export async function keyPairFromPem(pem: string): Promise<CryptoKeyPair> {
  const privateKey = createPrivateKey(pem);
  const kind = privateKey.asymmetricKeyType;
  if (kind !== 'rsa' && kind !== 'ec') throw new Error(`unsupported private key type ${String(kind)}`);
  const params = kind === 'rsa' ? RSA_PARAMS : EC_PARAMS;
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    privateKey: await subtle.importKey('pkcs8', pkcs8, params, true, ['sign']),
    publicKey: await subtle.importKey('spki', spki, params, true, ['verify']),
  };
}
