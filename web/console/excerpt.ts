/**
 * A prompt's start as plain text, for the bank list: the words a candidate reads, without the
 * markdown that formats them. markdown-it reads the prompt as the question screen renders it,
 * so a backslash escape (`\*`, `\<`, which GIFT and Moodle XML imports write for literal
 * characters) is the character it stands for, not a backslash; code blocks are left out.
 */
import markdownIt from 'markdown-it';

const md = markdownIt();

export function promptExcerpt(prompt: string, max = 110): string {
  const words: string[] = [];
  for (const block of md.parse(prompt, {})) {
    if (block.type !== 'inline') continue;
    for (const t of block.children ?? []) {
      if (t.type === 'text' || t.type === 'code_inline') words.push(t.content);
      else if (t.type === 'softbreak' || t.type === 'hardbreak') words.push(' ');
    }
    words.push(' ');
  }
  const text = words.join('').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 3)}…` : text;
}
