import type { ServingMetricsEvent } from '../events/event-types.ts';
import type { ServingMetricsRecord } from '../../core/domain/serving-metrics.ts';

/**
 * The run summary's serving metrics: every `serving.metrics` event's record, in log order
 * (undefined when the run has none, so summaries of runs without them are unchanged). Pure.
 */
export function summarizeServingMetrics(events: ReadonlyArray<{ type: string }>): ServingMetricsRecord[] | undefined {
  const records = events.flatMap((event) => (isServingMetricsEvent(event) ? [stripEnvelope(event)] : []));
  return records.length === 0 ? undefined : records;
}

function isServingMetricsEvent(event: { type: string }): event is ServingMetricsEvent {
  return event.type === 'serving.metrics';
}

function stripEnvelope(event: ServingMetricsEvent): ServingMetricsRecord {
  const record: ServingMetricsRecord = { targetIds: event.targetIds, model: event.model, metricsURL: event.metricsURL, window: event.window, result: event.result };
  return event.samples === undefined ? record : { ...record, samples: event.samples };
}
