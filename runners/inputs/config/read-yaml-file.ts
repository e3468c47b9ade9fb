import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { UserError, type UserErrorCode } from '../../core/errors.ts';

/**
 * Reads a YAML file; anything the parser refuses — a syntax error, an alias without its anchor,
 * … — is a UserError naming the file (and the line and column when the parser gives them).
 */
export function readYamlFile(file: string, code: UserErrorCode): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
    const at = where === undefined ? '' : `:${where.line}:${where.col}`;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(code, `${file}${at}: not valid YAML: ${message}`, { file, cause: error });
  }
}
