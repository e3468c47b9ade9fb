import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CLIENT_FILES } from './page-script.ts';

/**
 * The page's script is type-checked for real: `npm run typecheck` runs `tsconfig.client.json`,
 * which holds every client file, strictly, with the DOM's types, against the view types the
 * server builds — and a wrong property in a copy of a client file fails that check.
 */
const ROOT = path.join(import.meta.dirname, '..');
const CONFIG_FILE = path.join(ROOT, 'tsconfig.client.json');
const CLIENT_DIR = path.join(import.meta.dirname, 'client');

function readClientConfig(): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(CONFIG_FILE, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => { throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')); } });
  if (parsed === undefined) throw new Error(`cannot read ${CONFIG_FILE}`);
  return parsed;
}

/** The client's diagnostics, with some files' text replaced as if edited. */
function checkClient(config: ts.ParsedCommandLine, edits: ReadonlyMap<string, string> = new Map(), oldProgram?: ts.Program): { program: ts.Program; messages: string[] } {
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => edits.get(path.resolve(file)) ?? readFile(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, shouldCreate) => {
    const edited = edits.get(path.resolve(file));
    return edited === undefined ? getSourceFile(file, language, onError, shouldCreate) : ts.createSourceFile(file, edited, language);
  };
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host, ...(oldProgram === undefined ? {} : { oldProgram }) });
  const messages = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file === undefined ? '' : `${path.relative(ROOT, diagnostic.file.fileName)}: `;
    return `${where}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
  return { program, messages };
}

describe('the type check of the page script', () => {
  const config = readClientConfig();

  it('is part of `npm run typecheck`', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.typecheck).toContain('tsc -p tsconfig.client.json');
  });

  it('covers every client file, strictly, with the DOM and without Node', () => {
    const checked = new Set(config.fileNames.map((file) => path.resolve(file)));
    const clientFiles = readdirSync(CLIENT_DIR).map((file) => path.join(CLIENT_DIR, file));
    expect(clientFiles.filter((file) => !checked.has(file))).toEqual([]);
    expect(CLIENT_FILES.every((file) => checked.has(path.join(CLIENT_DIR, file)))).toBe(true);
    expect(config.options).toMatchObject({ allowJs: true, checkJs: true, strict: true, noUncheckedIndexedAccess: true, types: [] });
    expect(config.options.lib).toEqual(expect.arrayContaining(['lib.dom.d.ts']));
  });

  it('passes on the client as it is, and fails on a property the view types do not have', () => {
    const clean = checkClient(config);
    expect(clean.messages).toEqual([]);
    const list = path.join(CLIENT_DIR, 'attempt-list.js');
    const detail = path.join(CLIENT_DIR, 'attempt-detail.js');
    const listSource = readFileSync(list, 'utf8');
    const detailSource = readFileSync(detail, 'utf8');
    expect(listSource).toContain('row.title)');
    expect(detailSource).toContain('verdict.title)');
    const edits = new Map([
      [list, listSource.replace('row.title)', 'row.titel)')],
      [detail, detailSource.replace('verdict.title)', 'verdict.headline)')],
    ]);
    const broken = checkClient(config, edits, clean.program);
    expect(broken.messages).toEqual([
      expect.stringMatching(/^reports\/client\/attempt-detail\.js: Property 'headline' does not exist on type 'VerdictView'/),
      expect.stringMatching(/^reports\/client\/attempt-list\.js: Property 'titel' does not exist on type 'AttemptRowData'/),
    ]);
  });

  it('fails on a DOM misuse: a select read as a number', () => {
    const list = path.join(CLIENT_DIR, 'attempt-list.js');
    const source = readFileSync(list, 'utf8');
    expect(source).toContain('scenario: controls.scenario.value,');
    const broken = checkClient(config, new Map([[list, source.replace('scenario: controls.scenario.value,', 'scenario: controls.scenario.selectedIndex,')]]));
    expect(broken.messages).toEqual([expect.stringMatching(/^reports\/client\/attempt-list\.js: Type 'number' is not assignable to type 'string'/)]);
  });
});
