import type { SandboxContentStore } from './content/content-store';
import type { SandboxRegistry } from './iti38/registry';
import type { XdsRegistryProtocol } from './protocol';
import type { MtomResponse } from './retrieve/mtom-response';
import type { SecurityCheck } from './security/wss-gate';
import type { SoapResponse } from './soap/envelope-out';
import type { StatsRecorder } from './stats';

/**
 * What every transaction handler of one sandbox gateway works with: who the gateway is, its registry (ITI-38),
 * its repository and imaging document source (ITI-39, RAD-75), the XDS protocol table, the request counters and,
 * when the gateway is secured, its WS-Security check.
 */
export interface GatewayContext {
  readonly homeCommunityId: string;
  readonly repositoryUniqueId: string;
  readonly registry: SandboxRegistry;
  readonly protocol: XdsRegistryProtocol;
  readonly stats: StatsRecorder;
  readonly contents: SandboxContentStore;
  /** A secured gateway's WS-Security check (security/wss-gate.ts), run on every SOAP request; absent: open gateway. */
  readonly security?: SecurityCheck;
}

/** A retrieve's answer: a plain SOAP message (a Fault) or an MTOM package whose attachments stream. */
export type RetrieveResult = { readonly kind: 'soap'; readonly response: SoapResponse } | { readonly kind: 'mtom'; readonly message: MtomResponse };
