import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBank } from '../../functions/domain/bank.ts';
import { QUESTION_TYPES } from '../../functions/domain/question-types/registry.ts';

/** The YAML block under a heading of a markdown file. */
function yamlUnder(file: string, heading: string): string {
  const text = readFileSync(file, 'utf8');
  const after = text.slice(text.indexOf(heading));
  const m = /```yaml\n([\s\S]*?)```/.exec(after);
  if (!m) throw new Error(`No YAML block under "${heading}" in ${file}`);
  return m[1]!;
}

describe('docs/question-format.md', () => {
  it('has a complete example that validates, with one question of every type', () => {
    const bank = readBank(
      yamlUnder('docs/question-format.md', '## Complete example, one question of every type'),
      'yaml',
    );
    expect(new Set(bank.questions.map((q) => q.type))).toEqual(new Set(QUESTION_TYPES));
  });
});
