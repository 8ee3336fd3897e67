/** WS-Security 1.0 header carrying the signed XUA assertion (ITI TF-2 3.40.4.1): build it, verify it. */
export { buildSecurityHeader, type SecurityHeaderOptions } from './security-header';
export { verifySecurityHeader, type WssTrustOptions } from './verify';
export type { WssRejectCode, WssVerifyResult } from './result';
export { WSS_NS } from './constants';
