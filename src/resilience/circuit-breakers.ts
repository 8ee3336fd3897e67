import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState, type CircuitStateChange } from './circuit-breaker';

/**
 * One CircuitBreaker per community, made on first use with shared settings, so that one community's failures
 * never open another's circuit (per-community isolation; ITI TF-1 18.2: each responding gateway is asked on
 * its own). Listeners added here see the transitions of every breaker, present and future.
 */
export class CircuitBreakers {
  private readonly settings: Omit<CircuitBreakerOptions, 'community'>;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly listeners = new Set<(change: CircuitStateChange) => void>();

  constructor(settings: Omit<CircuitBreakerOptions, 'community'>) {
    this.settings = settings;
  }

  /** The breaker of `community` (configured name or homeCommunityId), created closed on first use. */
  for(community: string): CircuitBreaker {
    let breaker = this.breakers.get(community);
    if (breaker === undefined) {
      breaker = new CircuitBreaker({ ...this.settings, community });
      breaker.onStateChange((change) => {
        for (const listener of [...this.listeners]) {
          try {
            listener(change);
          } catch {
            // Ignored, as in CircuitBreaker.onStateChange: a metrics bug must not break calls.
          }
        }
      });
      this.breakers.set(community, breaker);
    }
    return breaker;
  }

  /** Subscribe to every breaker's transitions; returns an unsubscribe function. Listeners must not throw. */
  onStateChange(listener: (change: CircuitStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Current state of every breaker made so far (for a health endpoint). */
  states(): ReadonlyMap<string, CircuitState> {
    return new Map([...this.breakers].map(([community, breaker]) => [community, breaker.state()]));
  }
}
