import fs from 'node:fs';
import { buildAuditEvent } from '../../../src/audit/build-audit-event';
import { createAuditTrail } from '../../../src/audit/audit-trail';
import { auditOutcome } from '../../../src/audit/outcome';
import { readAuditRecords, searchAudit } from '../../../src/audit/search-audit';
import { NHS_A, NHS_B, readInput, searchInput, tempFile } from './audit-kit';

const at = (iso: string) => new Date(iso);

/** A file with: A searched (completed) on 1 June, B read on 2 June, A read on 3 June (intent only), a torn line. */
async function sampleFile(): Promise<{ file: string; ids: string[] }> {
  const file = tempFile();
  const trail = createAuditTrail({ file });
  const s1 = { startedAt: at('2025-06-01T09:00:00Z'), recorded: at('2025-06-01T09:00:00Z') };
  const a1 = await trail.recordIntent(buildAuditEvent(searchInput(NHS_A, s1)));
  const b1 = await trail.recordIntent(buildAuditEvent(readInput(NHS_B, { startedAt: at('2025-06-02T10:00:00Z'), recorded: at('2025-06-02T10:00:00Z') })));
  await trail.recordOutcome(a1, buildAuditEvent(searchInput(NHS_A, { ...s1, recorded: at('2025-06-01T09:00:02Z'), outcome: auditOutcome(200) })));
  await trail.recordOutcome(b1, buildAuditEvent(readInput(NHS_B, { startedAt: at('2025-06-02T10:00:00Z'), outcome: auditOutcome(404) })));
  await trail.close();
  // A previous process killed mid-write: a torn line without its newline. The next writer starts a fresh line.
  fs.appendFileSync(file, '{"id":"torn","phase":"intent","event":{"resourceType":"Audit');
  const trail2 = createAuditTrail({ file });
  const a2 = await trail2.recordIntent(buildAuditEvent(readInput(NHS_A, { startedAt: at('2025-06-03T08:00:00Z'), recorded: at('2025-06-03T08:00:00Z') })));
  await trail2.close();
  return { file, ids: [a1, b1, a2] };
}

describe('searchAudit (subject access request)', () => {
  test('finds every request about one patient: the outcome where recorded, else the intent', async () => {
    const { file, ids } = await sampleFile();
    const events = await searchAudit(file, { nhsNumber: NHS_A });
    expect(events.map((event) => event.id)).toEqual([ids[0], ids[2]]);
    expect(events[0]).toMatchObject({ action: 'E', outcome: '0' });
    expect(events[1]).toMatchObject({ action: 'R' });
    expect(events[1]?.outcome).toBeUndefined();
    expect(events[0]?.agent.find((agent) => agent.requestor)?.who?.display).toBe('Dr Ada Lovelace');
    const other = await searchAudit(file, { nhsNumber: NHS_B });
    expect(other.map((event) => [event.id, event.outcome])).toEqual([[ids[1], '4']]);
  });

  test('the date range is inclusive and uses when the request was made', async () => {
    const { file, ids } = await sampleFile();
    expect((await searchAudit(file, { nhsNumber: NHS_A, from: at('2025-06-02T00:00:00Z') })).map((e) => e.id)).toEqual([ids[2]]);
    expect((await searchAudit(file, { nhsNumber: NHS_A, to: at('2025-06-01T09:00:00Z') })).map((e) => e.id)).toEqual([ids[0]]);
    expect(await searchAudit(file, { nhsNumber: NHS_A, from: at('2025-06-01T09:00:01Z'), to: at('2025-06-02T23:59:59Z') })).toEqual([]);
  });

  test('a patient mentioned only in another patient\'s query text is not matched', async () => {
    const file = tempFile();
    const trail = createAuditTrail({ file });
    await trail.recordIntent(buildAuditEvent(searchInput(NHS_A, { query: `GET /fhir/DocumentReference?patient.identifier=${NHS_B}` })));
    await trail.close();
    expect(await searchAudit(file, { nhsNumber: NHS_B })).toEqual([]);
  });

  test('the torn line is skipped and a missing file has no records', async () => {
    const { file } = await sampleFile();
    const records = [];
    for await (const record of readAuditRecords(file)) records.push(record);
    expect(records).toHaveLength(5);
    expect(records.some((record) => record.id === 'torn')).toBe(false);
    expect(await searchAudit(`${file}.absent`, { nhsNumber: NHS_A })).toEqual([]);
  });
});
