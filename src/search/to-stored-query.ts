import { storedQueries } from '../mappings/stored-queries';
import { searchParameters } from '../mappings/search-parameters';
import type { Community, StoredQuery } from '../xca/model';
import { quote } from './ebrs';
import type { Iti67Search } from './iti67-search';

/** Patient id as an HL7 v2 CX with an ISO assigning authority (ITI TF-3 4.2.3.2.16): NNNNNNNNNN^^^&OID&ISO. */
export function patientCx(nhsNumber: string, assigningAuthority: string): string {
  return `${nhsNumber}^^^&${assigningAuthority}&ISO`;
}

/** The ITI-38 stored query one community receives for an ITI-67 search (`home` set to that community). */
export function toStoredQuery(search: Iti67Search, community: Community, assigningAuthority: string): StoredQuery {
  const definition = storedQueries().storedQueries[search.storedQuery];
  return {
    queryId: definition.id,
    returnType: 'LeafClass',
    homeCommunityId: community.homeCommunityId,
    slots: [{ name: searchParameters().patient.slot, values: [quote(patientCx(search.nhsNumber, assigningAuthority))] }, ...search.slots],
  };
}
