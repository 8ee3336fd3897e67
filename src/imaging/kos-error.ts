import { UIDS } from './dicom-dictionary';

/**
 * Why a DICOM KOS manifest (IHE XDS-I.b / MADO, RAD TF-3 4.68.4.1.2.1) could not be used. Every failure of
 * parseKosManifest is a KosError with one of these reasons; the message is written for an OperationOutcome's
 * diagnostics (it names what is wrong with the manifest and never echoes its content).
 */
export type KosErrorReason =
  /** No 'DICM' prefix after the 128-byte preamble (PS3.10 7.1), or not parseable as DICOM at all. */
  | 'not-dicom'
  /** The bytes end inside an element, item or sequence. */
  | 'truncated'
  /** A DICOM file, but not a Key Object Selection Document. */
  | 'not-kos'
  /** The Current Requested Procedure Evidence Sequence (0040,A375) is missing or empty. */
  | 'no-evidence'
  /** The evidence lists no instance. */
  | 'no-instances'
  /** More bytes (before or after inflation) than the caller allows. */
  | 'too-large'
  /** Parseable in part, but inconsistent: bad lengths, invalid UIDs, missing Type 1 attributes. */
  | 'malformed';

const DEFAULT_MESSAGES: Readonly<Record<KosErrorReason, string>> = {
  'not-dicom': 'the manifest is not a DICOM Part 10 file (no DICM prefix after the preamble)',
  truncated: 'the manifest is truncated: it ends inside a DICOM element',
  'not-kos': `the document is DICOM but not a Key Object Selection Document (SOP Class ${UIDS.keyObjectSelectionDocumentStorage})`,
  'no-evidence': 'the manifest lacks the Current Requested Procedure Evidence Sequence (0040,A375)',
  'no-instances': 'the manifest references no DICOM instance in its Current Requested Procedure Evidence Sequence',
  'too-large': 'the manifest is larger than this service accepts',
  malformed: 'the manifest is malformed DICOM',
};

/** The one error parseKosManifest throws. */
export class KosError extends Error {
  readonly reason: KosErrorReason;

  constructor(reason: KosErrorReason, message: string = DEFAULT_MESSAGES[reason], options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KosError';
    this.reason = reason;
  }
}

