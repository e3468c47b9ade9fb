/** One thing `harness doctor` checked about a target, and what to change when it is wrong. */
export type FindingSeverity = 'ok' | 'warning' | 'error';

export type FindingCode =
  | 'reachable'
  | 'model-listed'
  | 'context-limit'
  | 'prompt-budget'
  | 'compaction-headroom'
  | 'tool-choice'
  | 'tool-call-format'
  | 'serving-metrics'
  | 'serve-command'
  | 'scripted-profile';

export type Finding =
  | { severity: 'ok'; code: FindingCode; message: string }
  | { severity: 'warning' | 'error'; code: FindingCode; message: string; fix: string };

export interface TargetDiagnosis {
  targetId: string;
  model: string;
  /** Where the target is served; undefined for the embedded scripted model. */
  baseURL: string | undefined;
  /** Every replica's base URL, for a target with several (`baseURL` is the first). */
  baseURLs?: string[] | undefined;
  findings: Finding[];
}

export function ok(code: FindingCode, message: string): Finding {
  return { severity: 'ok', code, message };
}

export function warning(code: FindingCode, message: string, fix: string): Finding {
  return { severity: 'warning', code, message, fix };
}

export function error(code: FindingCode, message: string, fix: string): Finding {
  return { severity: 'error', code, message, fix };
}

/** 0 when no finding is an error (warnings are allowed), 1 otherwise. */
export function doctorExitCode(diagnoses: readonly TargetDiagnosis[]): 0 | 1 {
  return diagnoses.some((diagnosis) => diagnosis.findings.some((finding) => finding.severity === 'error')) ? 1 : 0;
}
