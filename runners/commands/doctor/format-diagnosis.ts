import type { TargetDiagnosis } from './finding.ts';

const LABEL = { ok: 'ok     ', warning: 'warning', error: 'error  ' } as const;

/**
 * The doctor's report as terminal lines. Messages can carry text from the server and the
 * model (error bodies, excerpts), so control characters are shown escaped, never emitted.
 */
export function formatDiagnoses(diagnoses: readonly TargetDiagnosis[]): string[] {
  const lines: string[] = [];
  for (const diagnosis of diagnoses) {
    const where = diagnosis.baseURL === undefined ? 'embedded scripted model' : (diagnosis.baseURLs?.join(', ') ?? diagnosis.baseURL);
    lines.push(`${escapeForTerminal(diagnosis.targetId)} — ${escapeForTerminal(diagnosis.model)} at ${escapeForTerminal(where)}`);
    for (const finding of diagnosis.findings) {
      lines.push(...indent(`  ${LABEL[finding.severity]} ${finding.code}: `, escapeForTerminal(finding.message)));
      if (finding.severity !== 'ok') lines.push(...indent('            fix: ', escapeForTerminal(finding.fix)));
    }
  }
  const errors = diagnoses.filter((diagnosis) => diagnosis.findings.some((finding) => finding.severity === 'error')).length;
  lines.push(errors === 0 ? `${diagnoses.length} target(s) healthy` : `${errors} of ${diagnoses.length} target(s) have errors`);
  return lines;
}

/** Escapes C0/C1 control characters (ANSI sequences included), keeping newlines and tabs. */
export function escapeForTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function indent(first: string, text: string): string[] {
  const [head = '', ...rest] = text.split('\n');
  return [`${first}${head}`, ...rest.map((line) => `${' '.repeat(first.length)}${line}`)];
}
