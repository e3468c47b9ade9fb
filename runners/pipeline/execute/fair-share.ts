/**
 * The run's attempt budget (`concurrency`) shared by the model servers that have work. A plain
 * first-come queue would let the server whose attempts were queued first hold every slot while
 * another server idles; here a free slot goes to the lane (server) with the fewest attempts
 * running, ties to the one served longest ago. No slot is kept free for a lane without queued
 * work, so a lone server uses the whole budget, and a server waiting for its model to come up
 * holds none. A lane may also have a limit of its own (adaptive concurrency: its server's capacity),
 * which can change at any time; slots it cannot use go to the other lanes.
 */
export interface FairShare {
  /** Runs `task` once a slot is free and it is `lane`'s turn; the slot is held until it settles. */
  run<T>(lane: string, task: () => Promise<T>): Promise<T>;
  /** At most `limit` of `lane`'s tasks at once from now on (running ones are never stopped); `undefined` lifts it. */
  setLaneLimit(lane: string, limit: number | undefined): void;
  /** Tasks of `lane` running and waiting for a slot now. */
  laneLoad(lane: string): { running: number; queued: number };
}

interface Lane {
  queued: Array<() => void>;
  running: number;
  limit: number;
  /** When the lane last got a slot (a counter), for ties; 0 before its first. */
  lastServed: number;
}

export function createFairShare(slots: number): FairShare {
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`internal: a fair share needs a whole number of slots ≥ 1, got ${slots}`);
  const lanes = new Map<string, Lane>();
  let active = 0;
  let served = 0;

  const laneOf = (name: string): Lane => {
    const lane = lanes.get(name) ?? { queued: [], running: 0, limit: Number.POSITIVE_INFINITY, lastServed: 0 };
    lanes.set(name, lane);
    return lane;
  };

  const nextLane = (): Lane | undefined => {
    let best: Lane | undefined;
    for (const lane of lanes.values()) {
      if (lane.queued.length === 0 || lane.running >= lane.limit) continue;
      if (best === undefined || lane.running < best.running || (lane.running === best.running && lane.lastServed < best.lastServed)) best = lane;
    }
    return best;
  };

  const dispatch = (): void => {
    for (let lane = active < slots ? nextLane() : undefined; lane !== undefined; lane = active < slots ? nextLane() : undefined) {
      const start = lane.queued.shift();
      if (start === undefined) return;
      active += 1;
      lane.running += 1;
      served += 1;
      lane.lastServed = served;
      start();
    }
  };

  return {
    run(name, task) {
      const lane = laneOf(name);
      return new Promise((resolve, reject) => {
        lane.queued.push(() => {
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              active -= 1;
              lane.running -= 1;
              dispatch();
            });
        });
        dispatch();
      });
    },
    setLaneLimit(name, limit) {
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`internal: a lane limit must be a whole number ≥ 1, got ${limit}`);
      laneOf(name).limit = limit ?? Number.POSITIVE_INFINITY;
      dispatch();
    },
    laneLoad(name) {
      const lane = laneOf(name);
      return { running: lane.running, queued: lane.queued.length };
    },
  };
}
