import picomatch from 'picomatch';
import type { PathPolicy, ScenarioPolicy } from '../../core/domain/scenario.ts';

export type PolicyVerdict = { allowed: true } | { allowed: false; why: string };

/** Edits: a path must match an allow glob and no deny glob. */
export function judgeEdit(policy: PathPolicy, relativePath: string): PolicyVerdict {
  const deniedBy = findMatchingGlob(policy.deny, relativePath);
  if (deniedBy !== undefined) return { allowed: false, why: `matches the denied glob ${deniedBy}` };
  if (findMatchingGlob(policy.allow, relativePath) === undefined) {
    return { allowed: false, why: policy.allow.length === 0 ? 'allows no edits' : `is outside the allowed globs (${policy.allow.join(', ')})` };
  }
  return { allowed: true };
}

/** Reads: anything not denied is allowed. */
export function judgeRead(policy: ScenarioPolicy['read'], relativePath: string): PolicyVerdict {
  const deniedBy = findMatchingGlob(policy.deny, relativePath);
  return deniedBy === undefined ? { allowed: true } : { allowed: false, why: `matches the denied read glob ${deniedBy}` };
}

/**
 * Shell: with `default: 'deny'` every sub-command (split on `&&`, `||`, `;`, `|`, newlines) must
 * match an allow pattern, written as OpenCode writes them (`*` any text, `?` one character,
 * `npm *` also matching a bare `npm`).
 */
export function judgeBash(policy: ScenarioPolicy['bash'], command: string): PolicyVerdict {
  if (policy.default === 'allow') return { allowed: true };
  const subCommands = command.split(/&&|\|\||[;|\n]/).map((part) => part.trim()).filter((part) => part !== '');
  const refused = subCommands.find((subCommand) => !policy.allow.some((pattern) => matchesCommandPattern(pattern, subCommand)));
  if (refused === undefined && subCommands.length > 0) return { allowed: true };
  return { allowed: false, why: `runs \`${refused ?? command}\`, which no allowed command pattern matches` };
}

export function matchesCommandPattern(pattern: string, command: string): boolean {
  let source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  if (source.endsWith(' .*')) source = `${source.slice(0, -3)}( .*)?`;
  return new RegExp(`^${source}$`, 's').test(command.trim());
}

function findMatchingGlob(globs: readonly string[], relativePath: string): string | undefined {
  return globs.find((glob) => picomatch(glob, { dot: true })(relativePath));
}
