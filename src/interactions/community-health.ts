import type { Community } from '../xca/model';
import { detached } from '../xca/xml/decode';

/** The last outcome of each community, for GET /_status. Held in memory per process. */
export interface CommunityHealthEntry {
  readonly homeCommunityId: string;
  readonly name: string;
  lastOutcome: 'none' | 'success' | 'failure';
  lastSuccessAt?: string;
  lastFailureAt?: string;
  lastFailure?: string;
}

export class CommunityHealth {
  private readonly entries = new Map<string, CommunityHealthEntry>();

  constructor(communities: readonly Community[]) {
    for (const c of communities) this.entries.set(c.homeCommunityId, { homeCommunityId: c.homeCommunityId, name: c.name, lastOutcome: 'none' });
  }

  recordSuccess(community: Community): void {
    const entry = this.entries.get(community.homeCommunityId);
    if (!entry) return;
    entry.lastOutcome = 'success';
    entry.lastSuccessAt = new Date().toISOString();
  }

  recordFailure(community: Community, reason: string): void {
    const entry = this.entries.get(community.homeCommunityId);
    if (!entry) return;
    entry.lastOutcome = 'failure';
    entry.lastFailureAt = new Date().toISOString();
    entry.lastFailure = detached(reason); // kept until the next failure: never a piece of the answer it came from
  }

  snapshot(): CommunityHealthEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }
}
