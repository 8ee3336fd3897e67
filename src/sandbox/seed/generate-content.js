#!/usr/bin/env node
'use strict';
/**
 * Recreates the document content of the sandbox seed in src/sandbox/seed/content/ (or the folder given as the first
 * argument), deterministically: the same input always gives the same bytes.
 *
 *   node src/sandbox/seed/generate-content.js            # rewrite the committed files
 *   node src/sandbox/seed/generate-content.js /tmp/out   # write elsewhere (test/unit/sandbox checks nothing changes)
 *
 * - The PDF radiology reports of Community A: one-page PDF 1.4 files (ISO 32000-1) with Helvetica text, a cross-
 *   reference table whose offsets are computed from the bytes written (7.5.4: 20-byte entries), an Info dictionary
 *   and no compression, so `file`, pdfinfo and any viewer read them and a reviewer can read them with `less`.
 * - report-84.pdf is computed but NOT written: patient 9000000084's document has metadata (size, hash) describing
 *   these bytes, and a repository that has lost them (the retrieve answers XDSDocumentUniqueIdError). Likewise
 *   report-92-preliminary.pdf, the Deprecated preliminary report of patient 9000000092 (the facade answers 410).
 * - kos-2.dcm, the DICOM KOS manifest of patient 9000000033 in Community B, from kos-2.dump with dcmtk's dump2dcm
 *   (skipped with a warning when dcmtk is not installed). Community B's other DICOM lives in ../seed/dicom/.
 *
 * Each seed DocumentEntry's size and hash (hex SHA-1, ITI TF-3 4.2.3.2.19 / .12) must match its file; the test
 * test/unit/sandbox/content/seed-content.test.ts checks every one of them. Synthetic data: names, numbers and
 * findings are invented; the NHS numbers are official test numbers.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const DISCLAIMER = 'SYNTHETIC TEST DOCUMENT - mhd-xca-facade sandbox - not a real patient';

/** The reports: file, Info dictionary, and the text lines of the page. */
const REPORTS = [
  {
    file: 'report-1.pdf',
    title: 'CT chest report',
    author: 'Dr Adaeze Okafor',
    created: '20240115103000',
    patient: ['Sandbox, Alex', '9000000009', '15/03/1970'],
    exam: ['CT Chest with contrast', '15/01/2024 09:15', 'ACC1001', 'Final report'],
    body: [
      'Clinical details: Persistent cough for six weeks. Ex-smoker.',
      'Technique: Axial CT of the thorax after intravenous contrast, 5 mm slices, lung and soft tissue windows.',
      'Findings: The lungs are clear. No pulmonary nodule or mass. No consolidation or effusion.',
      'The airways are patent. Mediastinal and hilar lymph nodes are not enlarged.',
      'The heart and great vessels are normal in size. No bone lesion.',
      'Conclusion: Normal CT chest. No explanation for the cough on imaging.',
    ],
  },
  {
    file: 'report-2.pdf',
    title: 'MR brain report',
    author: 'Dr Tomasz Nowak',
    created: '20230620141000',
    patient: ['Sandbox, Alex', '9000000009', '15/03/1970'],
    exam: ['MR Brain without contrast', '20/06/2023 13:00', 'ACC0877', 'Final report'],
    body: [
      'Clinical details: Intermittent headaches.',
      'Technique: Sagittal T1, axial T2, FLAIR and diffusion-weighted imaging.',
      'Findings: Normal grey-white matter differentiation. No restricted diffusion.',
      'Ventricles and sulci are appropriate for age. No mass, haemorrhage or midline shift.',
      'Conclusion: Normal MR brain.',
    ],
  },
  {
    file: 'report-3.pdf',
    title: 'Chest X-ray report',
    author: 'Priya Shah, reporting radiographer',
    created: '20220302081500',
    patient: ['Sandbox, Alex', '9000000009', '15/03/1970'],
    exam: ['XR Chest, PA and lateral', '02/03/2022 08:00', 'ACC0412', 'Final report'],
    body: ['Findings: Heart size normal. Lungs clear. No pleural effusion. No pneumothorax.', 'Conclusion: Normal chest radiograph.'],
  },
  {
    file: 'report-4.pdf',
    title: 'CT chest report (preliminary)',
    author: 'Dr Adaeze Okafor',
    created: '20240115095000',
    patient: ['Sandbox, Alex', '9000000009', '15/03/1970'],
    exam: ['CT Chest with contrast', '15/01/2024 09:15', 'ACC1001', 'Preliminary report (superseded by the final report)'],
    body: ['Preliminary findings: No pulmonary mass seen on the initial review.', 'A final report will follow.'],
  },
  {
    file: 'report-5.pdf',
    title: 'Abdominal ultrasound report',
    author: 'Dr Adaeze Okafor',
    created: '20240402110000',
    patient: ['Sandbox, Bryn', '9000000025', '02/11/1985'],
    exam: ['US Abdomen', '02/04/2024 10:15', 'ACC1520', 'Final report'],
    body: [
      'Clinical details: Right upper quadrant pain.',
      'Findings: The liver is normal in size and echotexture. The gallbladder contains no calculi.',
      'The common bile duct measures 4 mm. Pancreas, spleen and both kidneys are normal.',
      'Conclusion: Normal abdominal ultrasound.',
    ],
  },
  {
    file: 'report-6.pdf',
    title: 'CT head report',
    author: 'Dr Tomasz Nowak',
    created: '20240520170500',
    patient: ['Sandbox, Casey', '9000000033', '30/12/1992'],
    exam: ['CT Head without contrast', '20/05/2024 16:00', 'ACC2044', 'Final report'],
    body: ['Clinical details: Minor head injury.', 'Findings: No intracranial haemorrhage. No skull fracture.', 'Conclusion: Normal CT head.'],
  },
  {
    file: 'generated-report.pdf',
    title: 'Chest X-ray report',
    author: 'Priya Shah, reporting radiographer',
    created: '20230101090000',
    patient: ['Sandbox, Dara', '9000000041', '04/07/1960'],
    exam: ['XR Chest, PA', 'one of a series of 300 generated follow-up examinations', '-', 'Final report'],
    body: [
      'Findings: Stable appearances compared with the previous examination.',
      'This content is shared by the 300 generated reports of this sandbox patient (same size and hash).',
    ],
  },
  {
    file: 'report-84.pdf',
    written: false,
    title: 'MR knee report',
    author: 'Dr Tomasz Nowak',
    created: '20240805120000',
    patient: ['Sandbox, Frankie', '9000000084', '21/09/1978'],
    exam: ['MR Knee (left)', '05/08/2024 11:00', 'ACC3084', 'Final report'],
    body: ['Findings: Intact menisci and cruciate ligaments. Small joint effusion.', 'Conclusion: No internal derangement.'],
  },
  {
    file: 'report-92.pdf',
    title: 'MR lumbar spine report',
    author: 'Dr Tomasz Nowak',
    created: '20240910151500',
    patient: ['Sandbox, Gale', '9000000092', '14/02/1966'],
    exam: ['MR Lumbar spine', '10/09/2024 08:00', 'ACC3092', 'Final report (replaces the preliminary report)'],
    body: [
      'Clinical details: Low back pain radiating to the left leg.',
      'Findings: L4/5 disc protrusion contacting the traversing left L5 nerve root. No canal stenosis.',
      'Conclusion: Left L4/5 disc protrusion, as above.',
    ],
  },
  {
    file: 'report-92-preliminary.pdf',
    written: false,
    title: 'MR lumbar spine report (preliminary)',
    author: 'Dr Tomasz Nowak',
    created: '20240910083000',
    patient: ['Sandbox, Gale', '9000000092', '14/02/1966'],
    exam: ['MR Lumbar spine', '10/09/2024 08:00', 'ACC3092', 'Preliminary report (deprecated, replaced by the final report)'],
    body: ['Preliminary findings: Degenerative change at L4/5.', 'A final report will follow.'],
  },
];

/** A PDF literal string (7.3.4.2): backslash, parentheses escaped; only printable ASCII is used here. */
function pdfString(text) {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`non-ASCII text in a report: ${text}`);
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** The page content stream: text lines with the leading (TL) as line spacing. */
function contentStream(report) {
  const [name, nhs, dob] = report.patient;
  const [exam, when, accession, status] = report.exam;
  const lines = [
    ['F2', 15, 'Sandbox Royal Infirmary - Department of Clinical Radiology'],
    ['F1', 9, DISCLAIMER],
    ['F1', 10, ''],
    ['F2', 13, report.title],
    ['F1', 10, `Patient: ${name}    NHS number: ${nhs}    Date of birth: ${dob}`],
    ['F1', 10, `Examination: ${exam}    Performed: ${when}    Accession: ${accession}`],
    ['F1', 10, `Status: ${status}`],
    ['F1', 10, ''],
    ...report.body.map((text) => ['F1', 10, text]),
    ['F1', 10, ''],
    ['F1', 10, `Reported by: ${report.author}`],
  ];
  const ops = ['BT', '72 780 Td', '16 TL'];
  for (const [font, size, text] of lines) ops.push(`/${font} ${size} Tf`, `${pdfString(text)} Tj`, 'T*');
  ops.push('ET');
  return `${ops.join('\n')}\n`;
}

/** PDF date (7.9.4) from an HL7 DTM in UTC. */
function pdfDate(dtm) {
  return `D:${dtm}Z`;
}

/** The bytes of one report: objects written in order, each offset recorded for the xref table. */
function reportPdf(report) {
  const stream = contentStream(report);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}endstream`,
    `<< /Title ${pdfString(report.title)} /Author ${pdfString(report.author)} /Subject ${pdfString(DISCLAIMER)} ` +
      `/Producer (mhd-xca-facade sandbox generate-content.js) /CreationDate ${pdfString(pdfDate(report.created))} >>`,
  ];
  // The binary comment on line 2 tells transfer tools the file is binary (7.5.2).
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% Generated by src/sandbox/seed/generate-content.js; do not edit.\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  const entry = (offset, gen, kind) => `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} ${kind} \n`;
  out += `xref\n0 ${objects.length + 1}\n${entry(0, 65535, 'f')}${offsets.map((o) => entry(o, 0, 'n')).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** kos-2.dcm from kos-2.dump, with the options dicom/generate.sh uses (explicit VR little endian, explicit lengths). */
function writeKos(outDir) {
  const dump = path.join(__dirname, 'content', 'kos-2.dump');
  try {
    execFileSync('dump2dcm', ['--quiet', '--write-xfer-little', '--length-explicit', dump, path.join(outDir, 'kos-2.dcm')], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (err && err.code === 'ENOENT') {
      process.stderr.write('dump2dcm (dcmtk) not found: kos-2.dcm left as it is\n');
      return;
    }
    throw err;
  }
}

/** Write every file into `outDir`. */
function generate(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const report of REPORTS) {
    if (report.written !== false) fs.writeFileSync(path.join(outDir, report.file), reportPdf(report));
  }
  writeKos(outDir);
}

module.exports = { REPORTS, reportPdf, generate };

if (require.main === module) generate(process.argv[2] ?? path.join(__dirname, 'content'));
