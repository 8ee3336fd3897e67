/**
 * RAD-75 Cross Gateway Retrieve Imaging Document Set, initiating side (RAD TF-3 4.75, over RAD-69's request and
 * the XDS.b retrieve response): request builder, the client, and the reader that streams the instances of an
 * MTOM answer one after the other.
 */
export { crossGatewayRetrieveImaging } from './client';
export { buildRetrieveImagingDocumentSet, buildRetrieveImagingDocumentSetRequest } from './request';
export { readImagingResponse } from './response';
export { planImagingRetrieval, type ImagingPlan, type PlannedInstance, type PlanStep } from './plan';
export { Rad75RegistryError, isRad75RegistryError } from './registry-error';
export { RAD75_ACTION, RAD75_LIMITS, RAD75_NS } from './constants';
export type { ImagingRetrieval, Rad75Addressing, Rad75CallContext, Rad75Instance, Rad75Request, Rad75Series, RetrievedInstance } from './types';
export type { SequenceBounds } from './instance-sequence';
