import { describeGateFailure } from '../compare/gate.ts';
import { readConfiguredGate, resolveGateSettings } from '../compare/gate-settings.ts';
import { decideRunExit } from '../compare/run-exit.ts';
import type { WrittenReports } from './write-run-reports.ts';

export interface RunGateInput {
  /** The config file the run used; its `gate`, when declared, decides the exit code. */
  configPath: string;
  reports: WrittenReports;
  exitZero: boolean;
  print: (line: string) => void;
}

/** The exit code of `harness run`: the config's gate when it declares one, else "every spec passed". */
export async function decideRunExitCode({ configPath, reports, exitZero, print }: RunGateInput): Promise<number> {
  const configured = await readConfiguredGate(configPath);
  const gate = configured === undefined ? undefined : resolveGateSettings(configured, {});
  const decision = decideRunExit({ summary: reports.summary, reporterFailures: reports.failures.length, exitZero, gate });
  if (decision.gate?.status === 'passed') print(`Gate passed (${decision.gate.rules.join('; ')}).`);
  if (decision.gate?.status === 'failed') {
    print('Gate failed:');
    for (const failure of decision.gate.failures) print(`  - ${describeGateFailure(failure)}`);
  }
  return decision.exitCode;
}
