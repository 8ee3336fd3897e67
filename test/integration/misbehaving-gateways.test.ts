import { startSandbox, type Sandbox } from '../../src/sandbox';
import { communitiesFile } from '../support/communities';
import { searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';
import { startMisbehavingGateway, type Behaviour } from '../support/misbehaving-gateway';

let sandbox: Sandbox;
let bad: Awaited<ReturnType<typeof startMisbehavingGateway>>;

beforeAll(async () => {
  sandbox = await startSandbox({ portA: 0, portB: 0 });
  bad = await startMisbehavingGateway();
});
afterAll(async () => {
  await sandbox.close();
  await bad.close();
});


async function facadeWith(communities: unknown[]): Promise<TestFacade> {
  return startTestFacade({ COMMUNITIES_FILE: communitiesFile(communities), ALLOW_INSECURE_UPSTREAM: 'true', MAX_UPSTREAM_RESPONSE_BYTES: '1000000' });
}

const badCommunity = (b: Behaviour, timeoutMs = 3000) => ({ homeCommunityId: 'urn:oid:2.999.66.1', name: `Bad ${b}`, iti38Url: bad.url(b), timeoutMs });

describe('one misbehaving community never spoils the others', () => {
  it.each([
    ['http500', 'exception', /HTTP 500/i],
    ['soap-fault', 'exception', /Registry is on fire/],
    ['garbage', 'exception', /./],
    ['xxe', 'exception', /DTD|DOCTYPE/i],
    ['entity-bomb', 'exception', /DTD|DOCTYPE/i],
    ['truncated', 'exception', /./],
    ['oversize', 'too-costly', /./],
    ['reset', 'transient', /./],
    ['slow', 'timeout', /./],
  ] as Array<[Behaviour, string, RegExp]>)("%s: A's documents plus a warning naming the bad community", async (behaviour, issueCode, diagnostics) => {
    const a = sandbox.communities[0]!;
    const facade = await facadeWith([a, badCommunity(behaviour, behaviour === 'slow' ? 500 : 3000)]);
    try {
      const { status, body } = await searchByNhsNumber(facade, '9000000009');
      expect(status).toBe(200);
      const entries = body.entry as any[];
      expect(entries.filter((e) => e.search.mode === 'match').length).toBeGreaterThan(0);
      const outcome = entries.find((e) => e.search.mode === 'outcome').resource;
      expect(outcome.issue).toHaveLength(1);
      expect(outcome.issue[0]).toMatchObject({ severity: 'warning', code: issueCode });
      expect(outcome.issue[0].diagnostics).toContain(`Bad ${behaviour}`);
      expect(outcome.issue[0].diagnostics).toMatch(diagnostics);
      expect(outcome.issue[0].diagnostics).not.toContain('root:');
      expect((await fetch(`${facade.url}/_ping`)).status).toBe(200);
    } finally {
      await facade.close();
    }
  });
});

describe('when every community fails', () => {
  it('answers 502 with an OperationOutcome naming each community', async () => {
    const facade = await facadeWith([
      { ...badCommunity('http500'), homeCommunityId: 'urn:oid:2.999.66.1', name: 'Bad one' },
      { ...badCommunity('soap-fault'), homeCommunityId: 'urn:oid:2.999.66.2', name: 'Bad two' },
    ]);
    try {
      const { status, body } = await searchByNhsNumber(facade, '9000000009');
      expect(status).toBe(502);
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue[0].details.coding[0].code).toBe('UNABLE_TO_CALL_SERVICE');
      const text = body.issue.map((i: any) => i.diagnostics).join('\n');
      expect(text).toContain('Bad one');
      expect(text).toContain('Bad two');
    } finally {
      await facade.close();
    }
  });

  it('answers 504 when every community timed out', async () => {
    const facade = await facadeWith([
      { ...badCommunity('slow', 300), homeCommunityId: 'urn:oid:2.999.66.1', name: 'Slow one' },
      { ...badCommunity('slow', 300), homeCommunityId: 'urn:oid:2.999.66.2', name: 'Slow two' },
    ]);
    try {
      const { status, body } = await searchByNhsNumber(facade, '9000000009');
      expect(status).toBe(504);
      expect(body.issue[0].code).toBe('timeout');
    } finally {
      await facade.close();
    }
  });
});
