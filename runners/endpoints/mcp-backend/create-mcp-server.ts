import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Backend } from './backend-data.ts';

export const BACKEND_SERVER_NAME = 'portfolio-backend';
export const BACKEND_TOOL_NAMES = ['get_portfolios', 'get_transactions', 'get_assets', 'get_quotes'] as const;

const INSTRUCTIONS =
  'Read-only access to the portfolio backend, the source of truth behind the dashboard app. ' +
  'It has data the app does not have yet, such as each portfolio\'s target allocation.';

/** An MCP server with one read-only tool per backend query; every result is JSON text plus structured content. */
export function createBackendMcpServer(backend: Backend): McpServer {
  const server = new McpServer({ name: BACKEND_SERVER_NAME, version: '1.0.0' }, { instructions: INSTRUCTIONS });
  const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

  server.registerTool(
    'get_portfolios',
    {
      description: 'List every portfolio: id, name, base currency, creation date and its target allocation by asset class (stock, etf, bond) in percent.',
      annotations: readOnly,
    },
    async () => toResult({ portfolios: await backend.getPortfolios() }),
  );
  server.registerTool(
    'get_transactions',
    {
      description: 'List the transactions (buys and sells) of one portfolio.',
      inputSchema: { portfolioId: z.string().min(1).describe('The portfolio id, e.g. "growth" (see get_portfolios).') },
      annotations: readOnly,
    },
    async ({ portfolioId }) => {
      try {
        return toResult({ transactions: await backend.getTransactions(portfolioId) });
      } catch (error) {
        return toError(error);
      }
    },
  );
  server.registerTool(
    'get_assets',
    { description: 'List every asset the backend knows: symbol, name, asset class (stock, etf or bond) and currency.', annotations: readOnly },
    async () => toResult({ assets: await backend.getAssets() }),
  );
  server.registerTool(
    'get_quotes',
    {
      description: 'The latest quote of each symbol asked for (case-insensitive; unknown symbols are left out).',
      inputSchema: { symbols: z.array(z.string().min(1)).min(1).describe('Symbols, e.g. ["AAPL", "BND"].') },
      annotations: readOnly,
    },
    async ({ symbols }) => toResult({ quotes: await backend.getQuotes(symbols) }),
  );
  return server;
}

function toResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

function toError(error: unknown): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }] };
}
