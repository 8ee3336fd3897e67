import { randomUUID } from 'node:crypto';
import type { AuditEvent, Bundle } from 'fhir/r4';
import { searchAudit } from '../audit';
import { FacadeError } from '../errors/facade-error';
import { searchParameters } from '../mappings/search-parameters';
import { intersect, parseDateSearch } from '../search/fhir-date';
import { splitOr } from '../search/fhir-values';
import { patientFrom, type SearchParamList } from '../search/iti67-search';
import type { RequestContext } from './services';

/**
 * Subject access request: `GET /fhir/AuditEvent?patient.identifier=…&date=…` — who looked at this patient's
 * records, from the durable audit file (only callers with an AuditEvent scope reach this; the HTTP edge checks).
 */
export async function searchAuditEvents(ctx: RequestContext, auditFile: string, params: SearchParamList): Promise<Bundle<AuditEvent>> {
  const patientParams = searchParameters().patient.parameters;
  for (const [name] of params) {
    if (!patientParams.includes(name) && name !== 'date' && name !== '_format') {
      throw new FacadeError('INVALID_PARAMETER', `Unsupported AuditEvent search parameter '${name}' (use patient.identifier and date)`, { expression: name });
    }
  }
  const { nhsNumber } = patientFrom(params);
  const range = intersect(params.filter(([n]) => n === 'date').flatMap(([, v]) => splitOr(v).map((one) => parseDateSearch('date', one))));
  await ctx.audit.begin(nhsNumber);
  const events = await searchAudit(auditFile, { nhsNumber, ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: new Date(range.to.getTime() - 1) } : {}) });
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'searchset',
    total: events.length,
    link: [{ relation: 'self', url: `${ctx.baseUrl}/AuditEvent?${new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString()}` }],
    ...(events.length > 0 ? { entry: events.map((resource) => ({ fullUrl: `urn:uuid:${resource.id ?? randomUUID()}`, resource, search: { mode: 'match' as const } })) } : {}),
  };
}
