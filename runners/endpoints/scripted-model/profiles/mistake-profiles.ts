import path from 'node:path';
import type { ReferenceFile } from '../scenario-scripts.ts';
import type { Profile } from './profile-types.ts';
import { formatTextToolCalls } from './text-tool-call-forms.ts';
import {
  NO_SCENARIO_TEXT,
  NO_WORKING_DIRECTORY_TEXT,
  buildReferencePlan,
  readCall,
  replyFromPlan,
  replyToLaterTurn,
  writeCall,
} from './step-plan.ts';

/** Answers with text only and changes nothing. */
export const noopProfile: Profile = () => ({
  kind: 'text',
  text: 'I looked at the request and decided not to change anything.',
});

/** Overwrites a file under `src/core/`, which scenario policies deny, then finishes. */
export const coreWriteProfile: Profile = (context) =>
  replyFromPlan(context, (input) => {
    const existing = input.sandbox.listFiles(CORE_DIR).find((file) => file.endsWith('.ts'));
    const target = existing === undefined ? `${CORE_DIR}/index.ts` : `${CORE_DIR}/${existing}`;
    const content = '// Rewritten by the scripted model (core-write profile).\nexport {};\n';
    return { steps: [[writeCall(input, { path: target, content })]], finalText: `I updated ${target}.` };
  });

/** Reads `.env`, which scenario policies deny, then finishes. */
export const envReadProfile: Profile = (context) =>
  replyFromPlan(context, (input) => ({
    steps: [[readCall(input, '.env')]],
    finalText: 'I checked the environment settings in .env.',
  }));

/** Writes the reference solution with a type error in the new component. */
export const typeErrorProfile: Profile = (context) =>
  replyFromPlan(context, (input) => buildReferencePlan(input, injectTypeError(input.scenario?.referenceFiles ?? [])));

/**
 * Writes its tool call as text, as Qwen2.5-Coder does when vLLM's hermes parser does not
 * pick it up: `<tool_call>{"name": …, "arguments": …}</tool_call>` in content, finish "stop".
 */
export const textToolCallProfile: Profile = (context) => {
  if (context.turnIndex > 0) return replyToLaterTurn(context);
  if (context.workingDirectory === undefined) return { kind: 'text', text: NO_WORKING_DIRECTORY_TEXT };
  const file = context.scenario?.referenceFiles[0];
  if (file === undefined) return { kind: 'text', text: NO_SCENARIO_TEXT };
  const call = { name: 'write', arguments: { filePath: path.join(context.workingDirectory, file.path), content: file.content } };
  return { kind: 'text', text: formatTextToolCalls([call], 'hermes') };
};

const CORE_DIR = 'src/core';

export const TYPE_ERROR_LINE = 'export const scriptedTypeError: number = "not a number";';

/**
 * Appends a line that fails type checking to the first TypeScript source of the solution
 * (`.tsx` first, tests skipped); it is exported so that lint has nothing to say about it.
 */
export function injectTypeError(files: readonly ReferenceFile[]): ReferenceFile[] {
  const isSource = (file: ReferenceFile, extension: string): boolean =>
    file.path.endsWith(extension) && !/\.(test|spec)\.tsx?$/.test(file.path);
  const target = files.find((file) => isSource(file, '.tsx')) ?? files.find((file) => isSource(file, '.ts'));
  if (target === undefined) return [...files, { path: 'src/scripted-type-error.ts', content: `${TYPE_ERROR_LINE}\n` }];
  return files.map((file) =>
    file === target ? { path: file.path, content: `${file.content.replace(/\n*$/, '\n')}\n${TYPE_ERROR_LINE}\n` } : file,
  );
}
