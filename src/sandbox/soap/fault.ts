import { ACTIONS, NS } from './constants';

/**
 * A SOAP 1.2 fault the sandbox answers with (SOAP 1.2 Part 1, 5.4). The HTTP status follows SOAP 1.2 Part 2,
 * Table 20 (7.5.2.2): env:Sender → 400, every other fault code → 500; an unusable media type → 415.
 */
export type SoapFaultCode = 'VersionMismatch' | 'MustUnderstand' | 'Sender' | 'Receiver';

/** A namespace-qualified name (fault subcodes, NotUnderstood header blocks). */
export interface QName {
  readonly ns: string;
  readonly local: string;
}

/** WS-Addressing 1.0 SOAP Binding section 6 fault subcodes. */
export type WsaFaultSubcode =
  | 'ActionNotSupported'
  | 'MessageAddressingHeaderRequired'
  | 'InvalidAddressingHeader'
  | 'OnlyAnonymousAddressSupported';

interface SoapFaultInit {
  readonly subcode?: QName;
  readonly httpStatus?: number;
  readonly notUnderstood?: readonly QName[];
}

/** A fault to answer with; thrown anywhere in request reading and written by soap/envelope-out.ts. */
export class SoapFault extends Error {
  readonly code: SoapFaultCode;
  readonly subcode: QName | undefined;
  readonly httpStatus: number;
  /** Header blocks this node had to understand and did not (SOAP 1.2 Part 1, 5.4.8). */
  readonly notUnderstood: readonly QName[];
  /** MessageID of the request, when it was read before the fault; the fault's wsa:RelatesTo. */
  relatesTo: string | undefined;

  constructor(code: SoapFaultCode, reason: string, init: SoapFaultInit = {}) {
    super(reason);
    this.name = 'SoapFault';
    this.code = code;
    this.subcode = init.subcode;
    this.httpStatus = init.httpStatus ?? (code === 'Sender' ? 400 : 500);
    this.notUnderstood = init.notUnderstood ?? [];
    this.relatesTo = undefined;
  }

  /** The WS-Addressing action of this fault's message (WS-Addressing SOAP Binding 6). */
  get action(): string {
    return this.subcode?.ns === NS.wsa ? ACTIONS.wsaFault : ACTIONS.soapFault;
  }

  static sender(reason: string, subcode?: QName): SoapFault {
    return new SoapFault('Sender', reason, subcode ? { subcode } : {});
  }

  static wsa(subcode: WsaFaultSubcode, reason: string): SoapFault {
    return new SoapFault('Sender', reason, { subcode: { ns: NS.wsa, local: subcode } });
  }

  static unsupportedMedia(reason: string): SoapFault {
    return new SoapFault('Sender', reason, { httpStatus: 415 });
  }

  static receiver(reason: string): SoapFault {
    return new SoapFault('Receiver', reason);
  }
}
