import { Writable } from 'node:stream';
import { createLogger, scrubbingDestination } from '../../../src/log/logger';

describe('logger', () => {
  it('writes JSON lines and masks NHS numbers that slip into a log call', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger('info', scrubbingDestination(sink));
    logger.info({ diagnostics: 'unknown patient 9000000009' }, 'upstream said 900 000 0009');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] as string) as { msg: string; diagnostics: string; service: string };
    expect(record.msg).toBe('upstream said [nhs-number]');
    expect(record.diagnostics).toBe('unknown patient [nhs-number]');
    expect(record.service).toBe('mhd-xca-facade');
  });
});
