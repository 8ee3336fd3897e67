import fs from 'node:fs';
import { fromRoot } from '../../../src/config/paths';
import { isErrorCode, type IssueType } from '../../../src/errors/catalogue';
import { MappingTableError } from '../../../src/mappings/load';
import { classifyTransportFailure, classifyXdsError, loadXdsErrorsTable, type XdsErrorsTable } from '../../../src/mappings/xds-errors';
import type { XcaErrorKind } from '../../../src/xca/errors';
import { brokenCopy } from './broken-copy';

interface ClassificationSchema {
  definitions: { classification: { properties: { errorCode: { enum: string[] }; issue: { enum: string[] } } } };
}

const schema = JSON.parse(fs.readFileSync(fromRoot('mappings', 'schemas', 'xds-errors.schema.json'), 'utf8')) as ClassificationSchema;

/** Every IssueType of the catalogue, checked both ways by the compiler (adding one there fails here). */
const ISSUE_TYPES = [
  'invalid', 'code-invalid', 'not-supported', 'not-found', 'deleted', 'too-costly', 'exception', 'timeout', 'incomplete',
  'security', 'login', 'forbidden', 'throttled', 'transient',
] as const satisfies readonly IssueType[];
type Exhaustive = IssueType extends (typeof ISSUE_TYPES)[number] ? true : false;
const exhaustive: Exhaustive = true;

describe('mappings/xds-errors.json', () => {
  it('loads', () => {
    const table = loadXdsErrorsTable();
    expect(Object.keys(table.registryErrors)).toEqual(expect.arrayContaining(['XDSUnknownPatientId', 'XDSRegistryError', 'default']));
  });

  it("schema's errorCode enum lists only ErrorCodes of src/errors/catalogue.ts", () => {
    const codes = schema.definitions.classification.properties.errorCode.enum;
    expect(codes.filter((c) => !isErrorCode(c))).toEqual([]);
    for (const code of ['NO_RECORD_FOUND', 'RECORD_DEPRECATED', 'UPSTREAM_FAILED', 'UPSTREAM_TIMEOUT']) expect(codes).toContain(code);
  });

  it("schema's issue enum is exactly the catalogue's IssueType", () => {
    expect(exhaustive).toBe(true);
    expect([...schema.definitions.classification.properties.issue.enum].sort()).toEqual([...ISSUE_TYPES].sort());
  });

  it('refuses a copy using an error code the catalogue does not have, naming file and path', () => {
    const { dir, file } = brokenCopy<XdsErrorsTable>('xds-errors', (t) => {
      t.registryErrors.XDSRegistryBusy!.errorCode = 'TEAPOT' as never;
    });
    expect(() => loadXdsErrorsTable(dir)).toThrow(MappingTableError);
    expect(() => loadXdsErrorsTable(dir)).toThrow(new RegExp(`${file}.*/registryErrors/XDSRegistryBusy/errorCode`));
  });

  it('refuses a copy missing a transport failure kind', () => {
    const { dir } = brokenCopy<XdsErrorsTable>('xds-errors', (t) => {
      Reflect.deleteProperty(t.transportFailures, 'tls');
    });
    expect(() => loadXdsErrorsTable(dir)).toThrow(/\/transportFailures must have required property 'tls'/);
  });
});

describe('classifyXdsError', () => {
  it('reads XDSUnknownPatientId as "no documents", not a failure', () => {
    expect(classifyXdsError('XDSUnknownPatientId')).toEqual({ $comment: expect.any(String), meaning: 'no-documents', issue: 'not-found', severity: 'information', errorCode: 'NO_RECORD_FOUND' });
  });

  it.each([
    ['XDSRegistryError', 'UPSTREAM_FAILED', 'exception'],
    ['XDSRepositoryBusy', 'UPSTREAM_FAILED', 'transient'],
    ['XDSDocumentUniqueIdError', 'NO_RECORD_FOUND', 'not-found'],
    ['XDSTooManyResults', 'UPSTREAM_FAILED', 'too-costly'],
    ['XDSTimeout', 'UPSTREAM_TIMEOUT', 'timeout'],
    [' XDSUnavailableCommunity ', 'UPSTREAM_FAILED', 'transient'],
  ])('reads %s as an error (%s, %s)', (code, errorCode, issue) => {
    expect(classifyXdsError(code)).toMatchObject({ meaning: 'error', errorCode, issue });
  });

  it('gives the default row for unknown, vendor and prototype-named codes', () => {
    const fallback = classifyXdsError('default');
    expect(fallback).toMatchObject({ meaning: 'error', errorCode: 'UPSTREAM_FAILED' });
    expect(classifyXdsError('AcmeSpecialError')).toBe(fallback);
    expect(classifyXdsError('constructor')).toBe(fallback);
    expect(classifyXdsError('')).toBe(fallback);
  });
});

describe('classifyTransportFailure', () => {
  it.each<[XcaErrorKind, string, string]>([
    ['timeout', 'UPSTREAM_TIMEOUT', 'timeout'],
    ['soap-fault', 'UPSTREAM_FAILED', 'exception'],
    ['http-status', 'UPSTREAM_FAILED', 'exception'],
    ['network', 'UPSTREAM_FAILED', 'transient'],
    ['oversize', 'UPSTREAM_FAILED', 'too-costly'],
    ['unparseable', 'UPSTREAM_FAILED', 'exception'],
    ['tls', 'UPSTREAM_FAILED', 'exception'],
  ])('reads %s as %s (%s)', (kind, errorCode, issue) => {
    expect(classifyTransportFailure(kind)).toMatchObject({ meaning: 'error', severity: 'error', errorCode, issue });
  });
});
