import { readQueryParameters } from '../../../../src/sandbox/iti38/params';
import type { RawSlot } from '../../../../src/sandbox/iti38/query-types';
import { RegistryQueryError } from '../../../../src/sandbox/iti38/registry-error';
import { xdsRegistryProtocol } from '../../../../src/sandbox/protocol';

const protocol = xdsRegistryProtocol();
const PATIENT: RawSlot = { name: '$XDSDocumentEntryPatientId', values: ["'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'"] };
const STATUS: RawSlot = { name: '$XDSDocumentEntryStatus', values: ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"] };

function read(name: 'FindDocuments' | 'FindDocumentsByReferenceId' | 'GetDocuments', ...slots: RawSlot[]) {
  return readQueryParameters(name, protocol.storedQueries[name]!, slots, protocol);
}

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegistryQueryError) return err.errorCode;
    throw err;
  }
  return 'no error';
}

describe('stored query parameter checks (ITI TF-2 3.18.4.1.2.3.7)', () => {
  it('decodes a FindDocuments query', () => {
    const q = read(
      'FindDocuments',
      PATIENT,
      STATUS,
      { name: '$XDSDocumentEntryClassCode', values: ["('4201000179104^^2.16.840.1.113883.6.96','721981007^^2.16.840.1.113883.6.96')"] },
      { name: '$XDSDocumentEntryCreationTimeFrom', values: ['2023'] },
      { name: '$XDSDocumentEntryCreationTimeTo', values: ['20240101'] },
      { name: '$XDSDocumentEntryAuthorPerson', values: ["('%Okafor%')"] },
    );
    expect(q).toEqual({
      kind: 'find',
      nhsNumber: '9000000009',
      statuses: ['urn:oasis:names:tc:ebxml-regrep:StatusType:Approved'],
      codes: {
        classCode: [
          [
            { code: '4201000179104', scheme: '2.16.840.1.113883.6.96' },
            { code: '721981007', scheme: '2.16.840.1.113883.6.96' },
          ],
        ],
      },
      times: { creationTime: { from: '2023', to: '20240101' } },
      authorPersons: ['%Okafor%'],
    });
  });

  it('requires the patient id and the status (XDSStoredQueryMissingParam)', () => {
    expect(errorCode(() => read('FindDocuments', STATUS))).toBe('XDSStoredQueryMissingParam');
    expect(errorCode(() => read('FindDocuments', PATIENT))).toBe('XDSStoredQueryMissingParam');
    expect(errorCode(() => read('FindDocumentsByReferenceId', PATIENT, STATUS))).toBe('XDSStoredQueryMissingParam');
  });

  it('allows several Slots only for AND/OR parameters', () => {
    const event = (code: string): RawSlot => ({ name: '$XDSDocumentEntryEventCodeList', values: [`('${code}^^1.2.840.10008.2.16.4')`] });
    const q = read('FindDocuments', PATIENT, STATUS, event('CT'), event('MR'));
    expect(q.kind === 'find' && q.codes.eventCodeList?.length).toBe(2);
    const cls: RawSlot = { name: '$XDSDocumentEntryClassCode', values: ["('a^^1.2')"] };
    expect(errorCode(() => read('FindDocuments', PATIENT, STATUS, cls, cls))).toBe('XDSStoredQueryParamNumber');
    expect(errorCode(() => read('FindDocuments', PATIENT, PATIENT, STATUS))).toBe('XDSStoredQueryParamNumber');
  });

  it('refuses several Values for a single-valued parameter', () => {
    const twoValues: RawSlot = { name: '$XDSDocumentEntryCreationTimeFrom', values: ['2023', '2024'] };
    expect(errorCode(() => read('FindDocuments', PATIENT, STATUS, twoValues))).toBe('XDSStoredQueryParamNumber');
  });

  it('refuses parameters the query does not have, and empty slots', () => {
    expect(errorCode(() => read('FindDocuments', PATIENT, STATUS, { name: '$XDSDocumentEntryReferenceIdList', values: ["('x')"] }))).toBe('XDSRegistryError');
    expect(errorCode(() => read('FindDocuments', PATIENT, STATUS, { name: '$XDSDocumentEntryClassCode', values: [] }))).toBe('XDSRegistryError');
  });

  it('refuses badly coded values with XDSRegistryError', () => {
    const bad: RawSlot[] = [
      { name: '$XDSDocumentEntryPatientId', values: ['9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'] },
      { name: '$XDSDocumentEntryPatientId', values: ["'9000000009'"] },
      { name: '$XDSDocumentEntryStatus', values: ["'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved'"] },
      { name: '$XDSDocumentEntryStatus', values: ["('Approved')"] },
      { name: '$XDSDocumentEntryCreationTimeFrom', values: ["'20240101'"] },
      { name: '$XDSDocumentEntryType', values: ["('urn:uuid:00000000-0000-0000-0000-000000000000')"] },
    ];
    for (const slot of bad) {
      const others = [PATIENT, STATUS].filter((s) => s.name !== slot.name);
      expect([slot.name, errorCode(() => read('FindDocuments', ...others, slot))]).toEqual([slot.name, 'XDSRegistryError']);
    }
  });

  it('treats a patient id of another assigning authority as an unknown patient', () => {
    const q = read('FindDocuments', { name: '$XDSDocumentEntryPatientId', values: ["'9000000009^^^&2.999.9&ISO'"] }, STATUS);
    expect(q.kind === 'find' && q.nhsNumber).toBeUndefined();
  });

  it('GetDocuments takes exactly one of entryUUID and uniqueId', () => {
    const uuid: RawSlot = { name: '$XDSDocumentEntryEntryUUID', values: ["('urn:uuid:2e4c394a-92b3-4888-b70a-36774df31d72')"] };
    const uid: RawSlot = { name: '$XDSDocumentEntryUniqueId', values: ["('2.999.1.1.1.1')"] };
    expect(read('GetDocuments', uuid)).toEqual({ kind: 'get', entryUuids: ['urn:uuid:2e4c394a-92b3-4888-b70a-36774df31d72'] });
    expect(read('GetDocuments', uid)).toEqual({ kind: 'get', uniqueIds: ['2.999.1.1.1.1'] });
    expect(errorCode(() => read('GetDocuments'))).toBe('XDSStoredQueryMissingParam');
    expect(errorCode(() => read('GetDocuments', uuid, uid))).toBe('XDSStoredQueryParamNumber');
    expect(errorCode(() => read('GetDocuments', { name: '$XDSDocumentEntryEntryUUID', values: ["('not-a-uuid')"] }))).toBe('XDSRegistryError');
  });
});
