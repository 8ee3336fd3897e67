/**
 * A structural check of a PDF file (ISO 32000-1 7.5): header, the xref table startxref points at, every in-use
 * entry's offset landing on its "n 0 obj", the trailer's /Size and /Root, and each stream's /Length landing on its
 * "endstream". What a reader needs to open the file without repairing it; returns the problems found.
 */
export function pdfProblems(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const problems: string[] = [];
  if (!/^%PDF-1\.[0-7]\n/.test(text)) problems.push('no %PDF-1.x header');
  if (!text.endsWith('%%EOF\n')) problems.push('does not end with %%EOF');
  const startxref = /startxref\n(\d+)\n%%EOF\n$/.exec(text);
  const xrefAt = startxref === null ? -1 : Number(startxref[1]);
  if (text.slice(xrefAt, xrefAt + 5) !== 'xref\n') return [...problems, `startxref ${xrefAt} does not point at the xref table`];
  const head = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt));
  const count = Number(head?.[1]);
  const entries = text.slice(xrefAt + (head?.[0].length ?? 0), xrefAt + (head?.[0].length ?? 0) + count * 20);
  for (let i = 0; i < count; i++) {
    const entry = entries.slice(i * 20, i * 20 + 20);
    if (!/^\d{10} \d{5} [nf] \n$/.test(entry)) problems.push(`xref entry ${i} is not 20 bytes of "nnnnnnnnnn ggggg n \\n": ${JSON.stringify(entry)}`);
    if (entry[17] === 'n' && !text.startsWith(`${i} 0 obj\n`, Number(entry.slice(0, 10)))) problems.push(`object ${i} is not at offset ${Number(entry.slice(0, 10))}`);
  }
  const trailer = /trailer\n<< \/Size (\d+) \/Root (\d+) 0 R/.exec(text);
  if (trailer === null || Number(trailer[1]) !== count) problems.push('trailer /Size does not match the xref table');
  for (const m of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const end = (m.index ?? 0) + m[0].length + Number(m[1]);
    if (!text.startsWith('\nendstream', end) && !text.startsWith('endstream', end)) problems.push(`stream at ${m.index} does not end where its /Length says`);
  }
  return problems;
}
