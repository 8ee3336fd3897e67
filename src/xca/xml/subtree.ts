import { XcaError } from '../errors';
import { XML_LIMITS } from '../soap/constants';
import type { XmlTag } from './stream-parser';

/**
 * A small element tree for ONE bounded part of a streamed document (one ExtrinsicObject, one RegistryError, one
 * SOAP Fault). The stream parser never builds a tree of the whole answer; it builds one of these per object of
 * interest, hands it to a reader and drops it.
 */
export interface XmlNode {
  readonly uri: string;
  readonly local: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlNode[];
  /** Concatenated direct text content (text and CDATA), untrimmed. */
  readonly text: string;
}

interface MutableNode {
  uri: string;
  local: string;
  attributes: ReadonlyMap<string, string>;
  children: MutableNode[];
  text: string;
}

/** Shared by every node until its first child (most nodes of an ebRIM tree are leaves); never written to. */
const NO_CHILDREN: MutableNode[] = [];

function nodeOf(tag: XmlTag): MutableNode {
  return { uri: tag.uri, local: tag.local, attributes: tag.attributes, children: NO_CHILDREN, text: '' };
}

/** Collects the events between a start tag and its matching end tag into an XmlNode. */
export class SubtreeBuilder {
  readonly root: XmlNode;
  private readonly stack: MutableNode[];

  constructor(rootTag: XmlTag) {
    const root = nodeOf(rootTag);
    this.root = root;
    this.stack = [root];
  }

  open(tag: XmlTag): void {
    const node = nodeOf(tag);
    const top = this.top();
    if (top.children === NO_CHILDREN) top.children = [node];
    else top.children.push(node);
    this.stack.push(node);
  }

  /** Returns true when the root element itself has closed (the subtree is complete). */
  close(): boolean {
    this.stack.pop();
    return this.stack.length === 0;
  }

  text(text: string): void {
    const top = this.top();
    // Indentation between child elements is not content; skipping it keeps container nodes small.
    if (top.children.length > 0 && text.trim() === '') return;
    top.text += text;
    // The stream parser bounds each text event; this bounds text pieced together from several (text + CDATA).
    if (top.text.length > XML_LIMITS.maxTextChars) {
      throw new XcaError('oversize', `An element's text is longer than ${XML_LIMITS.maxTextChars} characters`);
    }
  }

  private top(): MutableNode {
    const top = this.stack[this.stack.length - 1];
    if (!top) throw new Error('SubtreeBuilder used after its root closed');
    return top;
  }
}

/** Children of `node` with the given namespace URI and local name. */
export function childrenNamed(node: XmlNode, uri: string, local: string): XmlNode[] {
  return node.children.filter((c) => c.uri === uri && c.local === local);
}

/** First child of `node` with the given namespace URI and local name. */
export function childNamed(node: XmlNode, uri: string, local: string): XmlNode | undefined {
  return node.children.find((c) => c.uri === uri && c.local === local);
}

/** An unqualified attribute's value, or undefined when absent or empty. */
export function attrOf(node: XmlNode | XmlTag, name: string): string | undefined {
  const value = node.attributes.get(name);
  return value === undefined || value === '' ? undefined : value;
}
