import type { Command } from 'commander';
import { loadConfig } from '../../inputs/config/load-config.ts';
import { doctorExitCode } from '../doctor/finding.ts';
import { formatDiagnoses } from '../doctor/format-diagnosis.ts';
import { runDoctor } from '../doctor/run-doctor.ts';

export interface DoctorCommandOptions {
  config: string;
  target?: string[] | undefined;
  bringUp?: boolean | undefined;
  json?: boolean | undefined;
}

/**
 * `harness doctor`: checks each target before a long run (reachable, model listed, limits
 * against max_model_len, tool calling, serving metrics). Returns the exit code: 0 healthy,
 * 1 when any finding is an error. Bad config or an unknown target throws a UserError (exit 2).
 */
export async function doctorCommand(options: DoctorCommandOptions, print: { out: (line: string) => void; err: (line: string) => void }): Promise<0 | 1> {
  const config = await loadConfig(options.config);
  const diagnoses = await runDoctor(config, { targetIds: options.target, bringUp: options.bringUp === true, log: print.err });
  if (options.json === true) print.out(JSON.stringify(diagnoses, null, 2));
  else for (const line of formatDiagnoses(diagnoses)) print.out(line);
  return doctorExitCode(diagnoses);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((item) => item.trim()).filter((item) => item !== '')];
}

/** Adds `harness doctor` to the CLI. */
export function registerDoctorCommand(program: Command, printErr: (line: string) => void): void {
  program
    .command('doctor')
    .description('check each target before a run: reachable, model listed, limits vs max_model_len, tool calling, serving metrics')
    .option('-c, --config <file>', 'config file', 'harness.config.ts')
    .option('-t, --target <ids>', 'only these targets (comma-separated or repeated)', collect)
    .option('--bring-up', "run each target's serve command first, one model at a time")
    .option('--json', 'print the findings as JSON')
    .action(async (options: DoctorCommandOptions) => {
      process.exitCode = await doctorCommand(options, { out: (line) => process.stdout.write(`${line}\n`), err: printErr });
    });
}
