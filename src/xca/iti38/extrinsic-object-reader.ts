import { XcaError } from '../errors';
import type { RimClassification, RimExternalIdentifier, RimExtrinsicObject, RimSlot } from '../model';
import { NS, XML_LIMITS } from '../soap/constants';
import type { XmlTag } from '../xml/stream-parser';
import { attrOf } from '../xml/subtree';

/**
 * One rim:ExtrinsicObject read straight from the stream parser's events into the wire-neutral model (ITI TF-3
 * 4.2.3.2: DocumentEntry attributes as Slots, Classifications and ExternalIdentifiers), without an element tree:
 * bench:parse showed the tree (a node, a child list and a filter pass per element) costing more than the mapping.
 * Elements are matched by namespace URI + local name only; what it reads:
 *
 *   ExtrinsicObject @id (required) @lid @home @mimeType @status @objectType
 *     Slot @name  > the first ValueList > Value text (trimmed)      — also inside Classification
 *     Name        > the first LocalizedString @value                 — the first Name only; also inside
 *     Description > the first LocalizedString @value                   Classification and ExternalIdentifier
 *     Classification @classificationScheme @classificationNode @classifiedObject @nodeRepresentation
 *     ExternalIdentifier @identificationScheme @value (both required, else the identifier is left out)
 *
 * Anything else (other namespaces, other elements, deeper nesting) is skipped. Empty attributes count as absent,
 * except nodeRepresentation="" (legal on author classifications), which is kept as written.
 */

const enum Kind {
  Skipped,
  Extrinsic,
  Classification,
  ExternalIdentifier,
  Slot,
  ValueList,
  Value,
  /** A Name or Description, waiting for its first LocalizedString. */
  Localized,
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * What a Name, Description or LocalizedString belongs to. Owners are written out as literals with every field:
 * built by spreading a shared part (`{ ...named(), slots: [] }`), the reader ran 2-3x slower (measured).
 */
interface Named {
  name: string | undefined;
  description: string | undefined;
  /** Whether the first Name / Description child was seen (later ones are not read). */
  sawName: boolean;
  sawDescription: boolean;
}

interface SlotOwner extends Named {
  readonly slots: RimSlot[];
}

interface ClassificationDraft extends SlotOwner {
  readonly tag: XmlTag;
}

interface IdentifierDraft extends Named {
  readonly identificationScheme: string | undefined;
  readonly value: string | undefined;
}

interface Frame {
  readonly kind: Kind;
  /** The Extrinsic / Classification / ExternalIdentifier being read, for the kinds that fill one. */
  readonly owner?: SlotOwner | IdentifierDraft;
  /** Slot being read (Slot, ValueList, Value frames). */
  readonly slot?: { readonly values: string[]; sawValueList: boolean };
  /** Localized frames: which property of `owner` the first LocalizedString sets. */
  readonly property?: 'name' | 'description';
  sawLocalizedString: boolean;
  /** Value frames: the text so far, and whether a child element came (whitespace after one is not content). */
  text: string;
  hasChildren: boolean;
}

/** Every frame has the same shape (one hidden class for V8). */
function frame(kind: Kind, owner?: SlotOwner | IdentifierDraft, slot?: Frame['slot'], property?: Frame['property']): Frame {
  return { kind, owner, slot, property, sawLocalizedString: false, text: '', hasChildren: false };
}

/** Shared by every skipped element: never written to (only Value and Localized frames are). */
const SKIPPED: Frame = frame(Kind.Skipped);


/** Reads the events of one ExtrinsicObject, from its start tag (given to the constructor) to its end tag. */
export class ExtrinsicObjectReader {
  private readonly root: SlotOwner = { name: undefined, description: undefined, sawName: false, sawDescription: false, slots: [] };
  private readonly classifications: ClassificationDraft[] = [];
  private readonly identifiers: IdentifierDraft[] = [];
  private readonly stack: Frame[];

  constructor(private readonly tag: XmlTag) {
    this.stack = [frame(Kind.Extrinsic, this.root)];
  }

  open(tag: XmlTag): void {
    const parent = this.stack[this.stack.length - 1] ?? SKIPPED;
    this.stack.push(this.child(parent, tag));
  }

  /** Returns the ExtrinsicObject when its own end tag closes it, else undefined. */
  close(): RimExtrinsicObject | undefined {
    const done = this.stack.pop();
    if (done?.kind === Kind.Value) done.slot?.values.push(done.text.trim());
    return this.stack.length === 0 ? this.build() : undefined;
  }

  text(text: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top?.kind !== Kind.Value) return;
    if (top.hasChildren && text.trim() === '') return;
    top.text += text;
    // The stream parser bounds each text event; this bounds text pieced together from several (text + CDATA).
    if (top.text.length > XML_LIMITS.maxTextChars) {
      throw new XcaError('oversize', `An element's text is longer than ${XML_LIMITS.maxTextChars} characters`);
    }
  }

  /** The frame of an element, from its parent's. */
  private child(parent: Frame, tag: XmlTag): Frame {
    if (parent.kind === Kind.Value) parent.hasChildren = true;
    if (parent.kind === Kind.Skipped || tag.uri !== NS.rim) return SKIPPED;
    const { local } = tag;
    switch (parent.kind) {
      case Kind.Extrinsic:
      case Kind.Classification: {
        const owner = parent.owner as SlotOwner;
        if (local === 'Slot') return this.slot(owner, tag);
        if (local === 'Name') return this.localized(owner, 'name');
        if (parent.kind === Kind.Classification) return SKIPPED;
        if (local === 'Description') return this.localized(owner, 'description');
        if (local === 'Classification') {
          const draft: ClassificationDraft = { name: undefined, description: undefined, sawName: false, sawDescription: false, slots: [], tag };
          this.classifications.push(draft);
          return frame(Kind.Classification, draft);
        }
        if (local === 'ExternalIdentifier') {
          const draft: IdentifierDraft = {
            name: undefined,
            description: undefined,
            sawName: false,
            sawDescription: false,
            identificationScheme: attrOf(tag, 'identificationScheme'),
            value: attrOf(tag, 'value'),
          };
          this.identifiers.push(draft);
          return frame(Kind.ExternalIdentifier, draft);
        }
        return SKIPPED;
      }
      case Kind.ExternalIdentifier:
        return local === 'Name' ? this.localized(parent.owner as IdentifierDraft, 'name') : SKIPPED;
      case Kind.Slot:
        if (local !== 'ValueList' || parent.slot === undefined || parent.slot.sawValueList) return SKIPPED;
        parent.slot.sawValueList = true;
        return frame(Kind.ValueList, undefined, parent.slot);
      case Kind.ValueList:
        return local === 'Value' ? frame(Kind.Value, undefined, parent.slot) : SKIPPED;
      case Kind.Localized:
        if (local !== 'LocalizedString' || parent.sawLocalizedString || parent.owner === undefined || parent.property === undefined) return SKIPPED;
        parent.sawLocalizedString = true;
        parent.owner[parent.property] = attrOf(tag, 'value');
        return SKIPPED;
      default:
        return SKIPPED;
    }
  }

  /** A Slot: a nameless one carries nothing we could map and is skipped. */
  private slot(owner: SlotOwner, tag: XmlTag): Frame {
    const name = attrOf(tag, 'name');
    if (name === undefined) return SKIPPED;
    const slot = { name, values: [] as string[] };
    owner.slots.push(slot);
    return frame(Kind.Slot, undefined, { values: slot.values, sawValueList: false });
  }

  /** The first Name (or Description) child only; its first LocalizedString gives the value. */
  private localized(owner: Named, property: 'name' | 'description'): Frame {
    if (property === 'name' ? owner.sawName : owner.sawDescription) return SKIPPED;
    if (property === 'name') owner.sawName = true;
    else owner.sawDescription = true;
    return frame(Kind.Localized, owner as SlotOwner, undefined, property);
  }

  /** The model, with absent values left out (not set to undefined), so results compare and serialise cleanly. */
  private build(): RimExtrinsicObject {
    const { tag, root } = this;
    const id = attrOf(tag, 'id');
    if (id === undefined) throw new XcaError('unparseable', 'The ITI-38 response holds an ExtrinsicObject without an id');
    const entry: Mutable<Partial<RimExtrinsicObject>> = { id };
    for (const key of ['lid', 'home', 'mimeType', 'status', 'objectType'] as const) {
      const value = attrOf(tag, key);
      if (value !== undefined) entry[key] = value;
    }
    if (root.name !== undefined) entry.name = root.name;
    if (root.description !== undefined) entry.description = root.description;
    entry.slots = root.slots;
    entry.classifications = this.classifications.map(toClassification);
    entry.externalIdentifiers = this.identifiers.flatMap(toExternalIdentifier);
    return entry as RimExtrinsicObject;
  }
}

function toClassification(draft: ClassificationDraft): RimClassification {
  const c: Mutable<Partial<RimClassification>> = {};
  for (const key of ['classificationScheme', 'classificationNode', 'classifiedObject'] as const) {
    const value = attrOf(draft.tag, key);
    if (value !== undefined) c[key] = value;
  }
  // nodeRepresentation="" is legal (author classifications); keep it as written.
  const nodeRepresentation = draft.tag.attributes.get('nodeRepresentation');
  if (nodeRepresentation !== undefined) c.nodeRepresentation = nodeRepresentation;
  if (draft.name !== undefined) c.name = draft.name;
  c.slots = draft.slots;
  return c as RimClassification;
}

function toExternalIdentifier(draft: IdentifierDraft): RimExternalIdentifier[] {
  const { identificationScheme, value } = draft;
  if (identificationScheme === undefined || value === undefined) return []; // both required by ebRIM 3.0
  return [draft.name === undefined ? { identificationScheme, value } : { identificationScheme, value, name: draft.name }];
}
