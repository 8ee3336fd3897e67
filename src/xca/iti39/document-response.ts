import { XcaError } from '../errors';
import { XML_LIMITS } from '../soap/constants';
import type { XmlTag } from '../xml/stream-parser';
import { attrOf } from '../xml/subtree';
import { ITI39_NS } from './constants';
import type { Iti39DocumentContent, Iti39DocumentResponse } from './types';

/**
 * Reads one DocumentResponse (XDS.b_DocumentRepository.xsd: HomeCommunityId?, RepositoryUniqueId,
 * DocumentUniqueId, NewRepositoryUniqueId?, NewDocumentUniqueId?, mimeType, Document) as its events stream by.
 * Children are matched by local name in any case, in the xds-b namespace or none: `homeCommunityId` and
 * `MimeType` occur in the wild. Document holds base64 text (plain SOAP) or an xop:Include (MTOM, XOP 1.0 §3.1).
 */

type Field = Exclude<keyof Iti39DocumentResponse, 'document'>;

/** Lower-cased local name → field. */
const FIELDS: Readonly<Record<string, Field>> = {
  homecommunityid: 'homeCommunityId',
  repositoryuniqueid: 'repositoryUniqueId',
  documentuniqueid: 'documentUniqueId',
  newrepositoryuniqueid: 'newRepositoryUniqueId',
  newdocumentuniqueid: 'newDocumentUniqueId',
  mimetype: 'mimeType',
};

const isRetrieveName = (tag: XmlTag): boolean => tag.uri === ITI39_NS.xdsb || tag.uri === '';

/** Collects one DocumentResponse subtree; fed the events between its start tag and its end tag. */
export class DocumentResponseReader {
  private depth = 0;
  /** The direct child being read: a field, the Document, or something we pass over. */
  private current: Field | 'document' | undefined;
  private readonly values: Partial<Record<Field, string>> = {};
  private sawDocument = false;
  private href: string | undefined;
  private readonly base64: string[] = [];
  private base64Chars = 0;

  /** @param what the answer being read, for error messages. */
  constructor(private readonly what = 'ITI-39 response') {}

  open(tag: XmlTag): void {
    this.depth += 1;
    if (this.depth === 1) {
      const name = tag.local.toLowerCase();
      this.current = !isRetrieveName(tag) ? undefined : name === 'document' ? 'document' : FIELDS[name];
      if (this.current === 'document') this.sawDocument = true;
    } else if (this.depth === 2 && this.current === 'document' && tag.uri === ITI39_NS.xop && tag.local === 'Include') {
      // The first xop:Include wins; XOP allows exactly one per optimised element content.
      this.href ??= attrOf(tag, 'href');
    }
  }

  /** Returns true when the DocumentResponse element itself has closed. */
  close(): boolean {
    if (this.depth === 0) return true;
    if (this.depth === 1) this.current = undefined;
    this.depth -= 1;
    return false;
  }

  text(text: string, maxDocumentChars: number): void {
    if (this.depth !== 1 || this.current === undefined) return;
    if (this.current === 'document') {
      this.base64Chars += text.length;
      if (this.base64Chars > maxDocumentChars) {
        throw new XcaError('oversize', `The inline document of the ${this.what} is larger than the limit of ${maxDocumentChars} base64 characters`);
      }
      this.base64.push(text);
      return;
    }
    const value = (this.values[this.current] ?? '') + text;
    if (value.length > XML_LIMITS.maxTextChars) throw new XcaError('oversize', `The ${this.what} holds an over-long DocumentResponse value`);
    this.values[this.current] = value;
  }

  result(): Iti39DocumentResponse {
    const out: { -readonly [K in Field]?: string } = {};
    for (const [field, value] of Object.entries(this.values) as Array<[Field, string]>) {
      const trimmed = value.trim();
      if (trimmed !== '') out[field] = trimmed;
    }
    return { ...out, document: this.content() };
  }

  private content(): Iti39DocumentContent {
    if (this.href !== undefined) return { kind: 'xop', href: this.href };
    if (this.base64.some((piece) => piece.trim() !== '')) return { kind: 'inline', base64: this.base64 };
    return { kind: this.sawDocument ? 'empty' : 'missing' };
  }
}
