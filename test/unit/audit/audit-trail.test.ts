import fs from 'node:fs';
import path from 'node:path';
import { buildAuditEvent } from '../../../src/audit/build-audit-event';
import { createAuditTrail } from '../../../src/audit/audit-trail';
import { AuditUnavailableError } from '../../../src/audit/errors';
import { auditOutcome } from '../../../src/audit/outcome';
import { NHS_A, readLines, searchInput, tempFile } from './audit-kit';

describe('the audit file', () => {
  test('intent then outcome: two lines with the same id, in order, on disk when the promise resolves', async () => {
    const file = tempFile();
    const trail = createAuditTrail({ file, now: () => new Date('2025-06-01T12:00:00Z') });
    const id = await trail.recordIntent(buildAuditEvent(searchInput(NHS_A)));
    // Read back with a separate descriptor before anything else happens: the line is already there.
    expect(readLines(file)).toEqual([expect.objectContaining({ id, phase: 'intent', at: '2025-06-01T12:00:00.000Z' })]);
    await trail.recordOutcome(id, buildAuditEvent(searchInput(NHS_A, { outcome: auditOutcome(200) })));
    const lines = readLines(file);
    expect(lines.map((line) => [line.id, line.phase])).toEqual([[id, 'intent'], [id, 'outcome']]);
    expect(lines[0]?.event.id).toBe(id);
    expect(lines[0]?.event.outcome).toBeUndefined();
    expect(lines[1]?.event.outcome).toBe('0');
    expect(fs.readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await trail.close();
  });

  test('appends to an existing file and never rewrites it', async () => {
    const file = tempFile();
    fs.writeFileSync(file, '{"earlier":"line"}\n');
    const trail = createAuditTrail({ file });
    await trail.recordIntent(buildAuditEvent(searchInput(NHS_A)));
    await trail.close();
    expect(fs.readFileSync(file, 'utf8').startsWith('{"earlier":"line"}\n{"id":')).toBe(true);
  });

  test('100 concurrent records never interleave and keep call order', async () => {
    const file = tempFile();
    const trail = createAuditTrail({ file });
    const events = Array.from({ length: 100 }, (_, i) => buildAuditEvent(searchInput(NHS_A, { requestId: `req-${i}` })));
    const ids = await Promise.all(events.map((event) => trail.recordIntent(event)));
    await trail.close();
    const raw = fs.readFileSync(file, 'utf8');
    const lines = raw.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(100);
    const records = lines.map((line) => JSON.parse(line) as { id: string; event: { entity: { what?: { identifier?: { value?: string } } }[] } });
    expect(records.map((record) => record.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(100);
    expect(records.map((record) => record.event.entity[0]?.what?.identifier?.value)).toEqual(events.map((_, i) => `req-${i}`));
  });

  test('an unwritable path rejects with AuditUnavailableError (503), at startup and per record', async () => {
    const blocker = tempFile('not-a-directory');
    fs.writeFileSync(blocker, '');
    const trail = createAuditTrail({ file: path.join(blocker, 'audit.jsonl') });
    await expect(trail.ready()).rejects.toBeInstanceOf(AuditUnavailableError);
    const err = await trail.recordIntent(buildAuditEvent(searchInput(NHS_A))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditUnavailableError);
    expect(err).toMatchObject({ code: 'AUDIT_UNAVAILABLE', status: 503, message: 'The audit trail cannot be written (ENOTDIR)' });
    await trail.close();
  });

  test('a full disk (/dev/full) rejects every record of the batch; the message holds no path or patient data', async () => {
    const trail = createAuditTrail({ file: '/dev/full' });
    const results = await Promise.allSettled([1, 2, 3].map(() => trail.recordIntent(buildAuditEvent(searchInput(NHS_A)))));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as AuditUnavailableError;
      expect(reason).toBeInstanceOf(AuditUnavailableError);
      expect(reason.message).toBe('The audit trail cannot be written (ENOSPC)');
    }
    await trail.close();
  });
});
