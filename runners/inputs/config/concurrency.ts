import type { ResolvedConfigData } from './config-schema.ts';

/** The concurrency a config asks for: a fixed number, or `auto` with its bounds. */
type ConcurrencySettings = Pick<ResolvedConfigData, 'concurrency' | 'autoConcurrency'>;

/** Most attempts that may ever run at once (and OpenCode servers alive): the fixed number, or auto's maximum. */
export function sessionBudgetOf(config: ConcurrencySettings): number {
  return config.concurrency === 'auto' ? config.autoConcurrency.max : config.concurrency;
}

/** For work that cannot follow a server (static checks, one-off probes): the fixed number, or auto's fallback. */
export function fixedConcurrencyOf(config: ConcurrencySettings): number {
  return config.concurrency === 'auto' ? config.autoConcurrency.fallback : config.concurrency;
}

/** `auto (≤ 16)` or the number, for progress lines. */
export function describeConcurrency(config: ConcurrencySettings): string {
  return config.concurrency === 'auto' ? `auto (${config.autoConcurrency.start} to start, at most ${config.autoConcurrency.max} per server)` : String(config.concurrency);
}
