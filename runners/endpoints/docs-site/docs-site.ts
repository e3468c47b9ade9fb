import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { listenOnLoopback } from '../../platform/processes/listen-on-loopback.ts';

/**
 * A local documentation site the agent may be allowed to `webfetch`: static pages served by the
 * harness on a loopback port, reached from inside the sandbox by name through the harness's proxy
 * (http://docs.example.test/…). A scenario that lists DOCS_SITE_HOST in its allow-list gets it;
 * the real internet stays out of a run that does not name it.
 */
export const DOCS_SITE_HOST = 'docs.example.test';

/** The site's pages (fixtures/docs-site: not a fixture, no fixture.yaml). */
export const DOCS_SITE_DIR = path.join(PROJECT_ROOT, 'fixtures', 'docs-site');

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.json': 'application/json' };

export interface DocsSite {
  port: number;
  close(): Promise<void>;
}

export async function startDocsSite(dir = DOCS_SITE_DIR): Promise<DocsSite> {
  const root = path.resolve(dir);
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://docs').pathname);
    const file = path.resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    if (request.method !== 'GET' || !(file === root || file.startsWith(`${root}${path.sep}`))) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    readFile(file).then(
      (contents) => response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(contents),
      () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n'),
    );
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
