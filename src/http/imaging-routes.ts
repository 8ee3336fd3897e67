import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Services } from '../interactions/services';

/**
 * Imaging routes (IHE MADO / XCA-I): FHIR ImagingStudy read and search under /fhir, and the DICOMweb (WADO-RS) door
 * under /dicomweb/{manifestId}. Placeholder until the imaging interactions land: registers nothing.
 */
export function imagingFhirRoutes(
  _router: Router,
  _services: Services,
  _options: { publicBaseUrl: string | undefined; fhirJson: (req: Request, res: Response, next: NextFunction) => void },
): void {}

/** The DICOMweb router mounted at /dicomweb. */
export function dicomWebRouter(_services: Services, _options: { publicBaseUrl: string | undefined }): Router {
  return express.Router();
}
