import type { ResolvedTarget } from '../../core/domain/target.ts';
import { bringUpTarget, type BringUpOptions, type BringUpResult, type ServeHandle } from './bring-up-target.ts';

export interface ModelSwitcher {
  /**
   * Call before each served-model group, with the group's first target. When the target
   * declares `serve`, the model this switcher brought up earlier on the same server (same
   * origin) is stopped first, then the target's model is brought up. A target without
   * `serve` is left to whoever runs its server.
   */
  switchTo(target: ResolvedTarget): Promise<BringUpResult>;
  /** Stops every model server this switcher brought up. Call once the run ends. */
  close(): Promise<void>;
}

export function createModelSwitcher(options: BringUpOptions): ModelSwitcher {
  const active = new Map<string, ServeHandle>();
  return {
    async switchTo(target) {
      if (target.kind !== 'openai-compatible' || target.serve === undefined) return { status: 'not-configured' };
      const origin = new URL(target.baseURL).origin;
      const current = active.get(origin);
      if (current !== undefined && current.model === target.model && current.baseURL === target.baseURL) {
        return { status: 'already-serving', handle: current };
      }
      if (current !== undefined) {
        options.log(`stopping ${current.model} at ${origin} to serve ${target.model}`);
        active.delete(origin);
        await current.stop();
      }
      const result = await bringUpTarget(target, options);
      if (result.status === 'ready' || result.status === 'already-serving') active.set(origin, result.handle);
      return result;
    },
    async close() {
      const handles = [...active.values()];
      active.clear();
      await Promise.all(handles.map((handle) => handle.stop()));
    },
  };
}
