import cliProgress from 'cli-progress';
import type { AttemptOutcome } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { ProgressSink } from '../../pipeline/execute/execute-plan.ts';

export function describeOutcome(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case 'passed':
      return 'passed';
    case 'failed':
      return `failed (${outcome.failedChecks.join(', ')})`;
    case 'timed-out':
      return `timed out after ${(outcome.afterMs / 1000).toFixed(1)} s`;
    case 'infra-error':
      return `infra error [${outcome.source}]: ${outcome.message.split('\n')[0] ?? ''}`;
  }
}

function describeCell(spec: RunSpec): string {
  return `${spec.scenarioId} × ${spec.targetId} × ${spec.promptVariantId} #${spec.repeatIndex}`;
}

/** One line per finished attempt, on stderr, so stdout stays for the report path. */
export function createLineProgress(write: (line: string) => void): ProgressSink {
  return {
    planned(total) {
      write(`${total} attempt(s) to run`);
    },
    attemptStarted() {},
    attemptFinished(spec, attempt, { done, total, willRetry }) {
      const reused = attempt.reusedFrom === undefined ? '' : ` [reused from ${attempt.reusedFrom.runId}]`;
      const retry = willRetry ? ' — will retry' : '';
      write(`[${done}/${total}] ${describeOutcome(attempt.outcome)}${retry} — ${describeCell(spec)} (${(attempt.timings.totalMs / 1000).toFixed(1)} s)${reused}`);
    },
    finished() {},
    note(line) {
      write(line);
    },
  };
}

/** A live bar for terminals: done / running / not passed, with an ETA. */
export function createBarProgress(stream: NodeJS.WriteStream): ProgressSink {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} done · {running} running · {passed} passed · {notPassed} not passed · {infra} infra · ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = { running: 0, passed: 0, notPassed: 0, infra: 0 };
  let done = 0;
  let started = false;
  return {
    planned(total) {
      // An adaptive run (--until-decided) plans again after each round: the bar grows.
      if (started) bar.setTotal(total);
      else bar.start(total, 0, counts);
      started = true;
    },
    attemptStarted() {
      counts.running += 1;
      bar.update(done, counts);
    },
    attemptFinished(_spec, attempt, progress) {
      if (attempt.reusedFrom === undefined) counts.running -= 1;
      if (!progress.willRetry) {
        const kind = attempt.outcome.kind;
        if (kind === 'passed') counts.passed += 1;
        else if (kind === 'infra-error') counts.infra += 1;
        else counts.notPassed += 1;
      }
      done = progress.done;
      bar.update(done, counts);
    },
    finished() {
      bar.stop();
    },
  };
}
