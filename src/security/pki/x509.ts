// @peculiar/x509 decorates its ASN.1 classes (tsyringe): reflect-metadata must be loaded before it. This module is
// the only place that imports the library, so the order holds however the rest of the code base imports it.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** Node's WebCrypto: the one crypto provider of the PKI code (key generation, signing). */
x509.cryptoProvider.set(webcrypto);

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export const subtle: webcrypto.SubtleCrypto = webcrypto.subtle;
export { x509 };
