/**
 * The DICOM transfer syntaxes a RAD-75 request offers by default (RAD TF-3 4.69.4.1.2: "one or more DICOM
 * transfer syntax UIDs that the Imaging Document Consumer is capable of processing"; the source encodes the pixel
 * data in one of them or answers XDSRepositoryError, 4.69.4.2.3). UIDs and names from DICOM PS3.6 Annex A.
 *
 * This is configuration, kept as data in one table: callers pass their own list in Rad75Request when the
 * consumer behind the facade handles fewer (or more) syntaxes. Order states preference: uncompressed explicit
 * first, then lossless compression, then lossy compression, implicit VR last (PS3.5 Annex A.1 default, which
 * every DICOM implementation reads).
 */

/** One transfer syntax. */
export interface TransferSyntax {
  readonly uid: string;
  /** DICOM PS3.6 name. */
  readonly name: string;
  /** The pixel data may have lost information (clinically relevant: a lossy image is not the acquired one). */
  readonly lossy: boolean;
}

/** The transfer syntaxes this facade offers by default, in order of preference. */
export const RAD75_TRANSFER_SYNTAXES: readonly TransferSyntax[] = [
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', lossy: false },
  { uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)', lossy: false },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Image Compression (Lossless Only)', lossy: false },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', lossy: false },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', lossy: true },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000 Image Compression', lossy: true },
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', lossy: false },
];

/** The UIDs of RAD75_TRANSFER_SYNTAXES: what Rad75Request.transferSyntaxUids holds unless the caller knows better. */
export const DEFAULT_TRANSFER_SYNTAX_UIDS: readonly string[] = RAD75_TRANSFER_SYNTAXES.map((syntax) => syntax.uid);

/** The default list without the lossy syntaxes, for consumers that must receive the pixel data as acquired. */
export const LOSSLESS_TRANSFER_SYNTAX_UIDS: readonly string[] = RAD75_TRANSFER_SYNTAXES.filter((syntax) => !syntax.lossy).map((syntax) => syntax.uid);
