import { z } from 'zod';

/** OpenCode tools that change files (all governed by the `edit` permission). */
export const EDIT_TOOLS: ReadonlySet<string> = new Set(['write', 'edit', 'multiedit', 'patch', 'apply_patch']);
/** OpenCode tools that read or list files. */
export const READ_TOOLS: ReadonlySet<string> = new Set(['read', 'glob', 'grep', 'list']);

const filePathInput = z.object({ filePath: z.string().min(1) });
const patchInput = z.object({ patchText: z.string() });
const searchInput = z.object({ path: z.string().optional(), pattern: z.string().optional(), include: z.string().optional() });
const commandInput = z.object({ command: z.string() });
const urlInput = z.object({ url: z.string() });

/** Lines of OpenCode's patch format that name a file. */
const PATCH_FILE_LINE = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/gm;

/** The files an edit tool call writes, as given by the model (absolute or relative). */
export function listEditTargets(input: unknown): string[] {
  const withPath = filePathInput.safeParse(input);
  if (withPath.success) return [withPath.data.filePath];
  const patch = patchInput.safeParse(input);
  if (!patch.success) return [];
  return [...patch.data.patchText.matchAll(PATCH_FILE_LINE)].map((match) => (match[1] ?? '').trim()).filter((file) => file !== '');
}

/**
 * The paths a read tool call looks at: the file for `read`; the search folder for `glob`, `grep`
 * and `list`, and the file pattern of `glob`/`grep` (with a leading `**\/` dropped, so that
 * `**\/.env*` is seen as `.env*`). Patterns are later matched literally against the deny globs.
 */
export function listReadTargets(tool: string, input: unknown): string[] {
  const withPath = filePathInput.safeParse(input);
  if (withPath.success) return [withPath.data.filePath];
  const search = searchInput.safeParse(input);
  if (!search.success) return [];
  const folder = search.data.path ?? '.';
  const filePattern = tool === 'glob' ? search.data.pattern : tool === 'grep' ? search.data.include : undefined;
  if (filePattern === undefined) return [folder];
  const withoutGlobstar = filePattern.replace(/^(\*\*\/)+/, '');
  return [folder, joinPattern(folder, filePattern), joinPattern(folder, withoutGlobstar)];
}

function joinPattern(folder: string, pattern: string): string {
  if (pattern.startsWith('/') || folder === '.' || folder === '') return pattern;
  return `${folder.replace(/\/+$/, '')}/${pattern}`;
}

/** Paths named in a grep tool's output (`/abs/file:` headers or `file:line:text` lines). */
export function listOutputPaths(output: string | undefined): string[] {
  if (output === undefined) return [];
  const paths = new Set<string>();
  for (const line of output.split('\n')) {
    const trimmed = line.trim();
    for (const candidate of [trimmed.replace(/:$/, ''), trimmed.split(':')[0] ?? '']) {
      if (candidate !== '' && !/\s/.test(candidate) && /[/.]/.test(candidate)) paths.add(candidate);
    }
  }
  return [...paths];
}

/** Words of a shell command that could be file paths (quotes stripped), e.g. `cat .env`. */
export function listCommandWords(input: unknown): string[] {
  const parsed = commandInput.safeParse(input);
  if (!parsed.success) return [];
  return parsed.data.command
    .split(/[\s;&|<>()]+/)
    .map((word) => word.replace(/^['"]|['"]$/g, ''))
    .filter((word) => word !== '' && !word.startsWith('-'));
}

export function readCommand(input: unknown): string {
  const parsed = commandInput.safeParse(input);
  return parsed.success ? parsed.data.command : '';
}

export function readUrl(input: unknown): string {
  const parsed = urlInput.safeParse(input);
  return parsed.success ? parsed.data.url : '';
}
