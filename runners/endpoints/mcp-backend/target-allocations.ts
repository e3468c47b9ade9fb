/**
 * Data only the backend has: each portfolio's target allocation by asset class, in percent.
 * The app's data client does not expose it, so an agent can learn it only through the MCP
 * tools. The values are deliberately not round numbers, so that they cannot be guessed.
 * The mcp-target-allocation scenario's hidden tests hold a copy (`expected-targets.json`);
 * a unit test keeps the two equal.
 */
export const TARGET_ALLOCATIONS: Readonly<Record<string, Readonly<Record<'stock' | 'etf' | 'bond', number>>>> = {
  growth: { stock: 72.5, etf: 20, bond: 7.5 },
  retirement: { stock: 15, etf: 47.5, bond: 37.5 },
};
