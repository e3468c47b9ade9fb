import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from './backend-data.ts';
import { BACKEND_TOOL_NAMES, createBackendMcpServer } from './create-mcp-server.ts';
import { MCP_SERVERS } from '../../inputs/mcp/mcp-servers.ts';
import { TARGET_ALLOCATIONS } from './target-allocations.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';

const FIXTURE_DIR = path.join(PROJECT_ROOT, 'fixtures', 'portfolio-dashboard');

interface ToolText {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
}

function readJson(result: unknown): Record<string, unknown> {
  const { content } = result as ToolText;
  return JSON.parse(content[0]?.text ?? 'null') as Record<string, unknown>;
}

describe('portfolio backend MCP server (in memory)', () => {
  let client: Client;

  beforeAll(async () => {
    const server = createBackendMcpServer(await loadBackend(FIXTURE_DIR));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(clientSide);
  });

  afterAll(async () => {
    await client.close();
  });

  it('lists its read-only tools with descriptions and input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...BACKEND_TOOL_NAMES].sort());
    for (const tool of tools) {
      expect(tool.description).not.toBe('');
      expect(tool.annotations?.readOnlyHint).toBe(true);
    }
    expect(tools.find((tool) => tool.name === 'get_transactions')?.inputSchema.required).toEqual(['portfolioId']);
  });

  it('serves the portfolios with their target allocations, which the app does not have', async () => {
    const { portfolios } = readJson(await client.callTool({ name: 'get_portfolios', arguments: {} })) as { portfolios: Array<{ id: string; targetAllocation: unknown; name: string }> };
    expect(portfolios.map((portfolio) => portfolio.id)).toEqual(['growth', 'retirement']);
    for (const portfolio of portfolios) expect(portfolio.targetAllocation).toEqual(TARGET_ALLOCATIONS[portfolio.id]);
    const { createInMemoryDataClient } = (await import(path.join(FIXTURE_DIR, 'src/core/data-client.ts'))) as { createInMemoryDataClient: () => { getPortfolios(): Promise<object[]> } };
    const appPortfolios = await createInMemoryDataClient().getPortfolios();
    expect(appPortfolios.some((portfolio) => 'targetAllocation' in portfolio)).toBe(false);
  });

  it('serves the fixture’s own transactions, assets and quotes (same seed as the app)', async () => {
    const { createInMemoryDataClient } = (await import(path.join(FIXTURE_DIR, 'src/core/data-client.ts'))) as {
      createInMemoryDataClient: () => { getTransactions(id: string): Promise<unknown>; getQuotes(symbols: string[]): Promise<unknown> };
    };
    const app = createInMemoryDataClient();
    const { transactions } = readJson(await client.callTool({ name: 'get_transactions', arguments: { portfolioId: 'retirement' } }));
    expect(transactions).toEqual(await app.getTransactions('retirement'));
    const { quotes } = readJson(await client.callTool({ name: 'get_quotes', arguments: { symbols: ['bnd', 'NOPE', 'AAPL'] } }));
    expect(quotes).toEqual(await app.getQuotes(['bnd', 'NOPE', 'AAPL']));
    const { assets } = readJson(await client.callTool({ name: 'get_assets', arguments: {} }));
    expect((assets as unknown[]).length).toBe(8);
  });

  it('answers an unknown portfolio with a tool error, and bad arguments with a validation error', async () => {
    const unknown = (await client.callTool({ name: 'get_transactions', arguments: { portfolioId: 'missing' } })) as ToolText;
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]?.text).toMatch(/Unknown portfolio "missing"/);
    const invalid = (await client.callTool({ name: 'get_quotes', arguments: { symbols: [] } })) as ToolText;
    expect(invalid.isError).toBe(true);
  });
});

describe('portfolio backend MCP server (stdio, as OpenCode starts it)', () => {
  it('starts from the registry command and answers over stdio', async () => {
    const [command, ...args] = MCP_SERVERS.backend.buildCommand({ fixtureDir: FIXTURE_DIR, nodePath: process.execPath });
    const transport = new StdioClientTransport({ command: command ?? '', args, stderr: 'pipe' });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { portfolios } = readJson(await client.callTool({ name: 'get_portfolios', arguments: {} })) as { portfolios: Array<{ targetAllocation: unknown }> };
      expect(portfolios[0]?.targetAllocation).toEqual(TARGET_ALLOCATIONS.growth);
    } finally {
      await client.close();
    }
  });

  it('exits with a message when the fixture has no data client', async () => {
    const [command, ...args] = MCP_SERVERS.backend.buildCommand({ fixtureDir: path.join(PROJECT_ROOT, 'no-such-fixture'), nodePath: process.execPath });
    const transport = new StdioClientTransport({ command: command ?? '', args, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await expect(client.connect(transport)).rejects.toThrow();
    expect(stderr).toMatch(/portfolio backend MCP server failed/);
  });
});

describe('the mcp-target-allocation scenario', () => {
  it('holds the same targets in its hidden tests as the backend serves', () => {
    const file = path.join(PROJECT_ROOT, 'scenarios', 'mcp-target-allocation', 'hidden-tests', 'expected-targets.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(TARGET_ALLOCATIONS);
  });
});
