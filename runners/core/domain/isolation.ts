/** How strictly a run confines the agent: asked for in the config, decided on the machine. */
export type IsolationMode = 'auto' | 'bubblewrap' | 'none';

/** How the agent's processes are confined; recorded with every run. */
export type Isolation =
  | { kind: 'bubblewrap'; binary: string }
  | { kind: 'none'; reason: string };
