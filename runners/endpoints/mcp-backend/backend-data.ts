import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { TARGET_ALLOCATIONS } from './target-allocations.ts';

const assetClassSchema = z.enum(['stock', 'etf', 'bond']);
const portfolioSchema = z.object({ id: z.string(), name: z.string(), baseCurrency: z.string(), createdAt: z.string() });
const transactionSchema = z.object({
  id: z.string(),
  portfolioId: z.string(),
  symbol: z.string(),
  type: z.enum(['buy', 'sell']),
  quantity: z.number(),
  price: z.number(),
  currency: z.string(),
  date: z.string(),
});
const assetSchema = z.object({ symbol: z.string(), name: z.string(), assetClass: assetClassSchema, currency: z.string() });
const quoteSchema = z.object({ symbol: z.string(), lastPrice: z.number(), change: z.number(), changePercent: z.number(), currency: z.string(), asOf: z.string() });

export type BackendPortfolio = z.infer<typeof portfolioSchema> & { targetAllocation: Record<z.infer<typeof assetClassSchema>, number> };
export type BackendTransaction = z.infer<typeof transactionSchema>;
export type BackendAsset = z.infer<typeof assetSchema>;
export type BackendQuote = z.infer<typeof quoteSchema>;

/** What the backend serves: the fixture's own seeded data plus what only the backend knows. */
export interface Backend {
  getPortfolios(): Promise<BackendPortfolio[]>;
  /** Rejects with an Error naming the known ids when the portfolio does not exist. */
  getTransactions(portfolioId: string): Promise<BackendTransaction[]>;
  getAssets(): Promise<BackendAsset[]>;
  getQuotes(symbols: readonly string[]): Promise<BackendQuote[]>;
}

const dataClientModuleSchema = z.object({
  createInMemoryDataClient: z.custom<(options?: { seed?: number }) => unknown>((value) => typeof value === 'function', 'must be a function'),
});

const dataClientSchema = z.object({
  getPortfolios: z.custom<() => Promise<unknown>>((value) => typeof value === 'function'),
  getTransactions: z.custom<(id: string) => Promise<unknown>>((value) => typeof value === 'function'),
  getAssets: z.custom<() => Promise<unknown>>((value) => typeof value === 'function'),
  getQuotes: z.custom<(symbols: readonly string[]) => Promise<unknown>>((value) => typeof value === 'function'),
});

/** Where a fixture keeps its in-memory data client (the same seed gives the app's data). */
export const DATA_CLIENT_MODULE = path.join('src', 'core', 'data-client.ts');

/**
 * Loads the backend over a fixture's seeded in-memory client — the original fixture, never an
 * agent's sandbox, so nothing the agent writes can change what the backend answers.
 */
export async function loadBackend(fixtureDir: string): Promise<Backend> {
  const moduleFile = path.join(fixtureDir, DATA_CLIENT_MODULE);
  const loaded = dataClientModuleSchema.safeParse(await import(pathToFileURL(moduleFile).href));
  if (!loaded.success) throw new Error(`${moduleFile} does not export createInMemoryDataClient()`);
  const client = dataClientSchema.parse(loaded.data.createInMemoryDataClient());
  return {
    async getPortfolios() {
      const portfolios = z.array(portfolioSchema).parse(await client.getPortfolios());
      return portfolios.map((portfolio) => ({ ...portfolio, targetAllocation: { ...(TARGET_ALLOCATIONS[portfolio.id] ?? { stock: 0, etf: 0, bond: 0 }) } }));
    },
    async getTransactions(portfolioId) {
      return z.array(transactionSchema).parse(await client.getTransactions(portfolioId));
    },
    async getAssets() {
      return z.array(assetSchema).parse(await client.getAssets());
    },
    async getQuotes(symbols) {
      return z.array(quoteSchema).parse(await client.getQuotes(symbols));
    },
  };
}
