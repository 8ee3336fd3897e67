import { parseBinaryId } from '../src/fhir/ids';
import { median, MiB, sampleRss, rssOf, startNode } from './lib/processes';
import { startStack } from './lib/stack';

/**
 * bench:retrieve — the large sandbox document (9000000076) streamed through the facade (ITI-68 -> ITI-39, MTOM
 * parsed as it arrives) and, in the same run, through a plain HTTP pass-through of the same bytes from the same
 * gateway. Prints throughput for both, their ratio, and the facade's peak RSS growth while streaming.
 * Targets (issue 3): ratio >= 0.8, RSS growth < 64 MiB for a 1 GiB document. BENCH_DOCUMENT_BYTES sets the size.
 */
const DOCUMENT_BYTES = Number(process.env.BENCH_DOCUMENT_BYTES ?? 1024 * MiB);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function download(url: string, headers: Record<string, string> = {}): Promise<{ bytes: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return { bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function main(): Promise<void> {
  const stack = await startStack({ sandbox: { SANDBOX_LARGE_DOCUMENT_BYTES: String(DOCUMENT_BYTES) } });
  const passthrough = await startNode('dist/bench/passthrough.js', { PORT: '0' }, /passthrough listening/);
  try {
    const search = await fetch(`${stack.fhir}/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000076')}`, { headers: stack.headers });
    const bundle = (await search.json()) as { entry: Array<{ resource: { content: Array<{ attachment: { url: string; size: number } }> } }> };
    const attachment = bundle.entry[0]?.resource.content[0]?.attachment;
    if (!attachment) throw new Error('no large document found for 9000000076');
    const id = parseBinaryId(attachment.url.split('/').pop() ?? '');
    if (id.kind !== 'direct') throw new Error('expected a direct Binary id');
    const a = stack.communities[0]!;
    const passUrl = `http://127.0.0.1:${/listening (\d+)/.exec(passthrough.lines.join('\n'))?.[1]}/?${new URLSearchParams({ url: a.iti39Url, hcid: a.homeCommunityId, repo: id.repositoryUniqueId, doc: id.documentUniqueId })}`;
    const facadePid = stack.facade.process.pid as number;
    const facadeRuns: number[] = [];
    const passRuns: number[] = [];
    const growth: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const pass = await download(passUrl);
      passRuns.push(pass.bytes / MiB / pass.seconds);
      const before = rssOf(facadePid);
      const sampler = sampleRss(facadePid);
      const through = await download(attachment.url, stack.headers);
      growth.push((sampler.stop() - before) / MiB);
      if (through.bytes !== attachment.size) throw new Error(`facade sent ${through.bytes} of ${attachment.size} bytes`);
      facadeRuns.push(through.bytes / MiB / through.seconds);
    }
    const facadeMbps = median(facadeRuns);
    const passMbps = median(passRuns);
    const result = {
      benchmark: 'retrieve',
      documentMiB: Math.round(attachment.size / MiB),
      runs: RUNS,
      facadeMiBps: Number(facadeMbps.toFixed(1)),
      passthroughMiBps: Number(passMbps.toFixed(1)),
      ratio: Number((facadeMbps / passMbps).toFixed(2)),
      facadePeakRssGrowthMiB: Number(Math.max(...growth).toFixed(1)),
      targets: { ratio: '>= 0.8', rssGrowthMiB: '< 64' },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await passthrough.stop();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:retrieve failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
