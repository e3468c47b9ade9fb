import type { ResolvedConfig } from '../../inputs/config/load-config.ts';
import { describeGateFailure } from '../../pipeline/compare/gate.ts';
import { resolveGateSettings } from '../../pipeline/compare/gate-settings.ts';
import { decideRunExit } from '../../pipeline/compare/run-exit.ts';
import type { WrittenReports } from './write-run-reports.ts';

export interface RunGateInput {
  /** The config the run resolved; its `gate`, when declared, decides the exit code. */
  config: Pick<ResolvedConfig, 'gate'>;
  reports: WrittenReports;
  exitZero: boolean;
  print: (line: string) => void;
}

/** The exit code of `harness run`: the config's gate when it declares one, else "every spec passed". */
export function decideRunExitCode({ config, reports, exitZero, print }: RunGateInput): number {
  const gate = config.gate === undefined ? undefined : resolveGateSettings(config.gate, {});
  const decision = decideRunExit({ summary: reports.summary, reporterFailures: reports.failures.length, exitZero, gate });
  if (decision.gate?.status === 'passed') print(`Gate passed (${decision.gate.rules.join('; ')}).`);
  if (decision.gate?.status === 'failed') {
    print('Gate failed:');
    for (const failure of decision.gate.failures) print(`  - ${describeGateFailure(failure)}`);
  }
  return decision.exitCode;
}
