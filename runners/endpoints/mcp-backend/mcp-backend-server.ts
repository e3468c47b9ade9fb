#!/usr/bin/env node
/**
 * The portfolio backend as a local MCP server over stdio, as OpenCode starts it:
 *   node runners/endpoints/mcp-backend/mcp-backend-server.ts --fixture fixtures/portfolio-dashboard
 * stdout carries the protocol; problems go to stderr.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadBackend } from './backend-data.ts';
import { createBackendMcpServer } from './create-mcp-server.ts';

const USAGE = 'Usage: server.ts --fixture <fixture folder>';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { fixture: { type: 'string' } } });
  if (values.fixture === undefined) {
    process.stderr.write(`--fixture is required\n${USAGE}\n`);
    process.exit(2);
  }
  const backend = await loadBackend(path.resolve(values.fixture));
  const server = createBackendMcpServer(backend);
  await server.connect(new StdioServerTransport());
}

main().catch((error: unknown) => {
  process.stderr.write(`portfolio backend MCP server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
