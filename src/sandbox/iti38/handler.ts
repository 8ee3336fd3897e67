import type { GatewayContext } from '../context';
import { storedQueryById } from '../protocol';
import { ACTIONS } from '../soap/constants';
import { readSoapRequest, type SoapRequest } from '../soap/envelope-in';
import { soapFaultResponse, soapResponse, type SoapResponse } from '../soap/envelope-out';
import { SoapFault } from '../soap/fault';
import { readQueryParameters } from './params';
import type { FoundDocument } from './registry';
import { RegistryQueryError } from './registry-error';
import { readAdhocQueryRequest, type AdhocQueryRequest } from './request';
import { adhocQueryResponse, type RegistryErrorEntry } from './response';

/**
 * ITI-38 Cross Gateway Query as a responding gateway answers it (ITI TF-2 3.38.4.1.3): SOAP and WS-Addressing
 * checks, the WS-Security header when the gateway is secured, the AdhocQueryRequest shape, the community asked, the stored query and its parameters, then the
 * registry. SOAP-level problems become Faults; query-level problems an AdhocQueryResponse with status Failure.
 * Documents whose content is generated on the fly get their real size and hash first (computed once, lazily).
 */
export type Iti38Context = GatewayContext;

export interface Iti38Result {
  readonly response: SoapResponse;
  /** Hold the response back this long (seed behaviour). */
  readonly delayMs: number;
}

interface Answer {
  readonly documents: readonly FoundDocument[];
  readonly errors: readonly RegistryErrorEntry[];
  readonly delayMs: number;
}

/** XCA: AdhocQuery@home names the community asked; this gateway answers only for its own (ITI TF-2 3.38.4.1.2.1). */
function checkHome(request: AdhocQueryRequest, ctx: Iti38Context): void {
  if (request.home === undefined || request.home === '') {
    throw new RegistryQueryError('XDSMissingHomeCommunityId', `AdhocQuery has no home attribute; this gateway is ${ctx.homeCommunityId}`);
  }
  if (request.home !== ctx.homeCommunityId) {
    throw new RegistryQueryError('XDSUnknownCommunity', `home ${request.home} is not this community (${ctx.homeCommunityId})`);
  }
}

function runQuery(request: AdhocQueryRequest, ctx: Iti38Context): Answer {
  const storedQuery = storedQueryById(ctx.protocol, request.queryId);
  ctx.stats.storedQuery(storedQuery?.name ?? 'unknown');
  checkHome(request, ctx);
  if (storedQuery === undefined) throw new RegistryQueryError('XDSUnknownStoredQuery', `stored query ${request.queryId} is not supported by this gateway`);
  const query = readQueryParameters(storedQuery.name, storedQuery.definition, request.slots, ctx.protocol);
  const outcome = ctx.registry.execute(query);
  return { documents: outcome.documents, errors: outcome.registryError ? [outcome.registryError] : [], delayMs: outcome.delayMs };
}

async function respond(soap: SoapRequest, returnType: 'LeafClass' | 'ObjectRef', answer: Answer, ctx: Iti38Context): Promise<Iti38Result> {
  if (answer.errors.length > 0) ctx.stats.registryError();
  const documents = await Promise.all(answer.documents.map(async (d) => ({ ...d, document: await ctx.contents.describe(d.document) })));
  const body = adhocQueryResponse(
    { home: ctx.homeCommunityId, repositoryUniqueId: ctx.repositoryUniqueId, returnType, documents, errors: answer.errors },
    ctx.protocol,
  );
  return { response: soapResponse(ACTIONS.iti38Response, soap.messageId, body), delayMs: answer.delayMs };
}

function fault(err: SoapFault, ctx: Iti38Context, relatesTo?: string): Iti38Result {
  ctx.stats.fault();
  if (relatesTo !== undefined) err.relatesTo ??= relatesTo;
  return { response: soapFaultResponse(err), delayMs: 0 };
}

/** Answer one ITI-38 HTTP request body. Unexpected errors propagate (the HTTP layer answers env:Receiver). */
export async function handleIti38(contentType: string | undefined, bytes: Buffer, ctx: Iti38Context): Promise<Iti38Result> {
  let soap: SoapRequest;
  try {
    soap = readSoapRequest(contentType, bytes, ACTIONS.iti38);
  } catch (err) {
    if (err instanceof SoapFault) return fault(err, ctx);
    throw err;
  }
  let returnType: 'LeafClass' | 'ObjectRef' = 'LeafClass';
  try {
    // A secured gateway reads nothing of the query before the XUA assertion is verified (ITI TF-2 3.40.4.1).
    ctx.security?.check(soap.envelope);
    const request = readAdhocQueryRequest(soap.body);
    returnType = request.returnType;
    return await respond(soap, returnType, runQuery(request, ctx), ctx);
  } catch (err) {
    if (err instanceof SoapFault) return fault(err, ctx, soap.messageId);
    if (err instanceof RegistryQueryError) {
      return respond(soap, returnType, { documents: [], errors: [{ errorCode: err.errorCode, codeContext: err.codeContext }], delayMs: 0 }, ctx);
    }
    throw err;
  }
}
