import { XcaError } from '../errors';
import { parseXmlStream, type XmlSink, type XmlTag } from '../xml/stream-parser';
import { SubtreeBuilder, childNamed, type XmlNode } from '../xml/subtree';
import { NS, XML_LIMITS } from './constants';

/**
 * Reading SOAP Faults: SOAP 1.2 (Part 1 section 5.4: Code/Value, Code/Subcode/Value, Reason/Text), the version
 * IHE mandates, and SOAP 1.1 (faultcode, faultstring) because some stacks answer a mis-versioned request in 1.1.
 */

/** True when `tag` is a Fault element directly inside a SOAP Body of the same SOAP version. */
export function isFaultInBody(tag: XmlTag, parent: XmlTag | undefined): boolean {
  if (parent === undefined || parent.local !== 'Body' || tag.local !== 'Fault') return false;
  return tag.uri === parent.uri && (tag.uri === NS.soap12 || tag.uri === NS.soap11);
}

/** Local part of a QName value such as `soap:Receiver`. */
function localPart(qname: string | undefined): string | undefined {
  const trimmed = qname?.trim();
  if (!trimmed) return undefined;
  return trimmed.slice(trimmed.lastIndexOf(':') + 1);
}

/**
 * Make a peer's fault reason fit to show: whitespace collapsed, anything shaped like an NHS number (10 digits,
 * optionally spaced 3-3-4) masked, length capped. Peers echo query content into reasons more often than not.
 */
export function sanitiseReason(reason: string): string {
  const collapsed = reason.replace(/\s+/g, ' ').trim();
  const masked = collapsed.replace(/(?<!\d)\d{3} ?\d{3} ?\d{4}(?!\d)/g, '[redacted]');
  return masked.length > XML_LIMITS.maxReasonChars ? `${masked.slice(0, XML_LIMITS.maxReasonChars)}…` : masked;
}

function soap12Parts(fault: XmlNode): { code?: string; subcode?: string; reason?: string } {
  const code = childNamed(fault, NS.soap12, 'Code');
  const subcode = code && childNamed(code, NS.soap12, 'Subcode');
  const reason = childNamed(fault, NS.soap12, 'Reason');
  const texts = reason?.children.filter((c) => c.uri === NS.soap12 && c.local === 'Text') ?? [];
  const english = texts.find((t) => t.attributes.get(`{${NS.xml}}lang`)?.toLowerCase().startsWith('en'));
  return {
    code: localPart(code && childNamed(code, NS.soap12, 'Value')?.text),
    subcode: localPart(subcode && childNamed(subcode, NS.soap12, 'Value')?.text),
    reason: (english ?? texts[0])?.text,
  };
}

function soap11Parts(fault: XmlNode): { code?: string; reason?: string } {
  // SOAP 1.1 fault children are unqualified (SOAP 1.1 section 4.4).
  return { code: localPart(childNamed(fault, '', 'faultcode')?.text), reason: childNamed(fault, '', 'faultstring')?.text };
}

/** The XcaError('soap-fault') a Fault element stands for. */
export function faultToError(fault: XmlNode, httpStatus?: number): XcaError {
  const parts: { code?: string; subcode?: string; reason?: string } = fault.uri === NS.soap12 ? soap12Parts(fault) : soap11Parts(fault);
  const reason = parts.reason ? sanitiseReason(parts.reason) : '';
  const codeText = [parts.code, parts.subcode].filter((p) => p !== undefined).join('/');
  const message = `The responding gateway returned a SOAP Fault${codeText ? ` (${codeText})` : ''}${reason ? `: ${reason}` : ''}`;
  return new XcaError('soap-fault', message, {
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(parts.code === undefined ? {} : { faultCode: parts.code }),
    ...(parts.subcode === undefined ? {} : { faultSubcode: parts.subcode }),
  });
}

/** Sink that only collects a Body/Fault subtree; everything else passes by. */
class FaultSink implements XmlSink {
  fault: XmlNode | undefined;
  private readonly path: XmlTag[] = [];
  private builder: SubtreeBuilder | undefined;

  open(tag: XmlTag): void {
    if (this.builder) this.builder.open(tag);
    else if (!this.fault && isFaultInBody(tag, this.path[this.path.length - 1])) this.builder = new SubtreeBuilder(tag);
    this.path.push(tag);
  }

  close(): void {
    this.path.pop();
    if (this.builder?.close()) {
      this.fault = this.builder.root;
      this.builder = undefined;
    }
  }

  text(text: string): void {
    this.builder?.text(text);
  }
}

/**
 * Look for a SOAP Fault in a (non-2xx) answer. Returns the fault as an XcaError, or undefined when the body is
 * not a SOAP message with a Fault (HTML error pages, empty bodies, oversize or broken XML).
 */
export async function readSoapFault(source: AsyncIterable<Buffer | string>, httpStatus: number, maxBytes: number): Promise<XcaError | undefined> {
  const sink = new FaultSink();
  try {
    await parseXmlStream(source, sink, { maxBytes, what: 'error answer' });
  } catch {
    // A broken body is not a fault; a fault seen before the body broke still counts.
  }
  return sink.fault ? faultToError(sink.fault, httpStatus) : undefined;
}
