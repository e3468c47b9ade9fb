export interface WaitOptions {
  /** Give up after this long; the error names `what`. */
  timeoutMs: number;
  /** What is awaited, for the error: "two OpenCode servers". */
  what: string;
  /** Between two looks. Default 100 ms. */
  intervalMs?: number | undefined;
}

/** Looks until `condition` holds (it may be async), or throws once `timeoutMs` have passed. */
export async function waitFor(condition: () => boolean | Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    await sleep(options.intervalMs ?? 100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
