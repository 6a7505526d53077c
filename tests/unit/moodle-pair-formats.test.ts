/**
 * A matching pair's own text format (docs/question-format.md, "Matching items"): Moodle XML's
 * `<subquestion format="...">` and GIFT's `=[markdown]left -> right` set the format of that pair,
 * whatever the question's: its left-hand item is read in it, and a markdown pair's right-hand
 * item is markdown as written, any other pair's plain text shown as written.
 */
import { describe, expect, it } from 'vitest';
import { parseGift } from '../../functions/domain/gift.ts';
import { parseMoodleXml } from '../../functions/domain/moodle-xml.ts';
import { quiz } from '../support/moodle-xml.ts';

const matchingXml = (questionFormat: string, ...subquestions: string[]) =>
  quiz(
    [
      '  <question type="matching">',
      '    <name><text>Ports</text></name>',
      `    <questiontext format="${questionFormat}"><text>Match each service to its port.</text></questiontext>`,
      ...subquestions.map((s) => `    ${s}`),
      '  </question>',
    ].join('\n'),
  );

const pair = (format: string | undefined, left: string, right: string) =>
  `<subquestion${format ? ` format="${format}"` : ''}><text>${left}</text><answer><text>${right}</text></answer></subquestion>`;

describe('a Moodle XML matching pair with its own format', () => {
  it('keeps a markdown pair of an HTML question as markdown, on both sides', () => {
    const [q] = parseMoodleXml(
      matchingXml(
        'html',
        pair('markdown', '**HTTP**', '**80**'),
        pair('html', '&lt;b&gt;HTTPS&lt;/b&gt;', '4*4*3'),
      ),
    ).questions;

    expect(q!.answer).toEqual({
      pairs: [
        { left: '**HTTP**', right: '**80**' },
        { left: '**HTTPS**', right: '4\\*4\\*3' },
      ],
    });
  });

  it('reads an HTML or plain pair of a markdown question as plain text on the right', () => {
    const [q] = parseMoodleXml(
      matchingXml(
        'markdown',
        pair('plain_text', 'SMTP', '5*5'),
        pair(undefined, 'DNS', '**53**'),
        pair('html', 'SSH', '2*11'),
      ),
    ).questions;

    expect(q!.answer).toEqual({
      pairs: [
        { left: 'SMTP', right: '5\\*5' },
        { left: 'DNS', right: '**53**' },
        { left: 'SSH', right: '2\\*11' },
      ],
    });
  });
});

describe('a GIFT matching pair with its own format marker', () => {
  it('reads =[markdown]left -> right as a markdown pair in an HTML question, and =[plain] as plain', () => {
    const gift = [
      '$CATEGORY: security',
      '',
      '::Ports::[html]Match each service to its port.{',
      '  =[markdown]**HTTP** -> **80**',
      '  =[plain]HTTPS -> 4*4*3',
      '  =SMTP -> 5*5',
      '}',
      '',
    ].join('\n');

    const [q] = parseGift(gift).questions;

    expect(q!.answer).toEqual({
      pairs: [
        { left: '**HTTP**', right: '**80**' },
        { left: 'HTTPS', right: '4\\*4\\*3' },
        { left: 'SMTP', right: '5\\*5' },
      ],
    });
  });
});
