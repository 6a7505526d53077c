/**
 * What a candidate reads after a Moodle import: Assay's texts are markdown, Moodle's are plain
 * text, Moodle's auto-format (GIFT's default, no marker) or HTML. A text must show what Moodle
 * shows: markdown's own syntax in a plain text (`__init__`, `2*3*4`, a leading `#`) stays text,
 * and a line break stays a line break.
 *
 * The cases follow Moodle's own tests (moodle/moodle question/format/gift/tests/
 * giftformat_test.php: `test_import_backslash` keeps `A \\ B \\\\ C` as `A \ B \\ C`, and
 * question/format/xml/tests/xmlformat_test.php: `plain_text` and `moodle_auto_format` texts);
 * written for Assay, not copied (Moodle is GPL).
 */
import { describe, expect, it } from 'vitest';
import { importGift, parseGift, toGift } from '../../functions/domain/gift.ts';
import { markdownHtml } from '../../functions/domain/markdown.ts';
import { importMoodleXml, parseMoodleXml, toMoodleXml } from '../../functions/domain/moodle-xml.ts';
import type { QuestionContent } from '../../functions/domain/question.ts';

const gift = (...lines: string[]): QuestionContent =>
  importGift(lines.join('\n'), { area: 'security', bankId: 'formats' }).bank.questions[0]!;

const xml = (questiontext: string, format: string, answers: string): QuestionContent =>
  importMoodleXml(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<quiz>',
      '  <question type="multichoice">',
      '    <name><text>Formats</text></name>',
      `    <questiontext format="${format}"><text><![CDATA[${questiontext}]]></text></questiontext>`,
      '    <single>true</single><shuffleanswers>true</shuffleanswers>',
      answers,
      '  </question>',
      '</quiz>',
    ].join('\n'),
    { area: 'security', bankId: 'formats' },
  ).bank.questions[0]!;

/**
 * What the candidate app shows for a markdown text: its HTML, and its text as a browser lays it
 * out (tags gone, white space collapsed, a line break only where a `<br>` or a block ends).
 */
function shown(markdown: string): { html: string; text: string } {
  const html = markdownHtml(markdown);
  const text = html
    .replace(/<br ?\/?>|<\/(?:p|h\d|li|pre)>/g, '¶')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?¶ ?/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
  return { html, text };
}

describe('texts imported from Moodle read as Moodle shows them', () => {
  it('shows a GIFT text without a format marker (Moodle auto-format) as written: no emphasis, heading or list made of its characters', () => {
    const q = gift(
      '::init::What does __init__ do, and is 2*3*4 = 24?{',
      '  =[plain]*It* initialises \\# of fields',
      '  ~1. nothing',
      '  ####\\# is a comment in Python; a_b_c is a name.',
      '}',
    );

    expect(shown(q.prompt)).toEqual({
      html: '<p>What does __init__ do, and is 2*3*4 = 24?</p>',
      text: 'What does __init__ do, and is 2*3*4 = 24?',
    });
    expect(q.options!.map((o) => shown(o.text).text)).toEqual([
      '*It* initialises # of fields',
      '1. nothing',
    ]);
    expect(shown(q.explanation).html).not.toMatch(/<h1>|<em>|<strong>|<ol>/);
    expect(shown(q.explanation).text).toContain('# is a comment in Python; a_b_c is a name.');
  });

  it("keeps a GIFT text's backslashes as Moodle unescapes them (test_import_backslash)", () => {
    const q = gift(String.raw`::backslash::A \\ B \\\\ C, which is shown how?{=this ~that}`);

    expect(shown(q.prompt).text).toBe('A \\ B \\\\ C, which is shown how?');
  });

  it('keeps the line breaks of a GIFT text (\\n) and of Moodle auto-format, as Moodle shows them', () => {
    const q = gift(String.raw`::lines::What does this print?\nx = 1\ny = 2{=3 ~12}`);
    const auto = gift('::auto::[moodle]What does this print?', 'x = 1', 'y = 2{=3 ~12}');

    expect(shown(q.prompt).text).toBe('What does this print?\nx = 1\ny = 2');
    expect(shown(auto.prompt).text).toBe('What does this print?\nx = 1\ny = 2');
  });

  it('keeps the line breaks of HTML (<br>) and shows an escaped entity as written', () => {
    const q = gift(
      '::br::[html]<p>Line one<br>line two: what does &amp;lt;b&amp;gt; show?</p>{=the text ~bold}',
    );

    expect(shown(q.prompt).text).toBe('Line one\nline two: what does &lt;b&gt; show?');
  });

  it('shows a Moodle XML plain_text question and answer as written', () => {
    const q = xml(
      'What does __init__ do, and is 2*3*4 = 24?\nSecond line.',
      'plain_text',
      [
        '    <answer fraction="100" format="plain_text"><text>*star* &amp;amp; [link](x)</text></answer>',
        '    <answer fraction="0" format="plain_text"><text>- a list?</text></answer>',
      ].join('\n'),
    );

    expect(shown(q.prompt).text).toBe('What does __init__ do, and is 2*3*4 = 24?\nSecond line.');
    expect(q.options!.map((o) => shown(o.text).text)).toEqual([
      '*star* &amp; [link](x)',
      '- a list?',
    ]);
  });

  it('keeps a Moodle XML moodle_auto_format text as written, with its line breaks', () => {
    const q = xml(
      'Which is _right_?\nPick one.',
      'moodle_auto_format',
      '    <answer fraction="100"><text>this</text></answer>\n    <answer fraction="0"><text>that</text></answer>',
    );

    expect(shown(q.prompt).text).toBe('Which is _right_?\nPick one.');
  });

  it("shows a matching question's right-hand items as written: Moodle reads them as plain text", () => {
    const q = gift(
      '::match::Match each product to its value.{=2*3 -> *6* =2+2 -> [4] =1+0 -> 1_0_1}',
    );
    const fromXml = importMoodleXml(
      [
        '<quiz><question type="matching"><name><text>Match</text></name>',
        '<questiontext format="html"><text>Match each product to its value.</text></questiontext>',
        '<subquestion format="html"><text>2*3</text><answer><text>*6*</text></answer></subquestion>',
        '<subquestion format="html"><text>2+2</text><answer><text>[4]</text></answer></subquestion>',
        '</question></quiz>',
      ].join('\n'),
      { area: 'security', bankId: 'formats' },
    ).bank.questions[0]!;
    const rights = (x: QuestionContent) =>
      (x.answer as { pairs: { right: string }[] }).pairs.map((p) => shown(p.right).text);

    expect(rights(q)).toEqual(['*6*', '[4]', '1_0_1']);
    expect(rights(fromXml)).toEqual(['*6*', '[4]']);
  });

  it('exports imported right-hand items as the plain text Moodle shows, and reads them back', () => {
    const q = gift('::match::Match each product to its value.{=2+4 -> 2*3 =2+2 -> [4] = -> 1_0_1}');
    const bank = { bank: { id: 'formats', title: 'Formats' }, questions: [q] };
    const asGift = toGift(bank).text;
    const asXml = toMoodleXml(bank).text;

    expect((q.answer as { pairs: { right: string }[] }).pairs[0]!.right).toBe('2\\*3');
    expect(asGift).toContain('-> 2*3');
    expect(asGift).toContain('= -> 1_0_1');
    expect(asGift).not.toContain('\\*');
    expect(asXml).toContain('<answer><text>2*3</text></answer>');
    expect(asXml).toContain('<answer><text>[4]</text></answer>');
    expect(parseGift(asGift).questions[0]!.answer).toEqual(q.answer);
    expect(parseMoodleXml(asXml).questions[0]!.answer).toEqual(q.answer);
  });

  it('exports right-hand items that use markdown as they are, and reads them back', () => {
    const q = gift(
      '::match::[markdown]Match each port to its protocol.{=HTTP -> **80** =SSH -> 2\\*11}',
    );
    const bank = { bank: { id: 'formats', title: 'Formats' }, questions: [q] };
    const asGift = toGift(bank).text;

    expect((q.answer as { pairs: { right: string }[] }).pairs[0]!.right).toBe('**80**');
    expect(asGift).not.toContain('rights=plain');
    expect(parseGift(asGift).questions[0]!.answer).toEqual(q.answer);
    expect(parseMoodleXml(toMoodleXml(bank).text).questions[0]!.answer).toEqual(q.answer);
  });

  it('refuses rights= in the assay comment of a question that is not matching', () => {
    const read = () =>
      parseGift(
        [
          '$CATEGORY: security',
          '',
          '// assay: difficulty=2 rights=plain',
          '::Sky::The sky is blue on a clear day. {T}',
        ].join('\n'),
      );

    expect(read).toThrow(/rights= applies to matching questions only/);
  });
});
