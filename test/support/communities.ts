import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Write a COMMUNITIES_FILE for a test facade into a fresh temp folder and return its path. */
export function communitiesFile(communities: unknown[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'facade-communities-')), 'communities.json');
  fs.writeFileSync(file, JSON.stringify({ communities }));
  return file;
}
