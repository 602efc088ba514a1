import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { markdownCode, markdownText, plainText } from '../../src/report/escape.js';
import { redactor } from '../../src/secret.js';

const md = new MarkdownIt({ html: true });
/** What a reader should see of a value: on one line, without its outer blanks. */
const seen = (s: string) => s.replace(/\r\n|\r|\n/g, ' ').trim();

// Strings made mostly of the characters that mean something in Markdown, HTML or the log.
const hostile = fc.string({
  unit: fc.constantFrom(
    ...'`*_[]()#<>&|~$!+-=.:;\\/"\'{}%0123456789 aZ\n\r\t'.split(''),
    '::',
    '##[',
    '<img src=x>',
    '## ',
    '1. ',
  ),
  maxLength: 40,
});

describe('markdownText', () => {
  it('renders as exactly the text, at the start of a list item (property)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        fc.pre(seen(s).replace(/\t/g, '') !== '');
        const html = md.render(`- ${markdownText(s)}`);
        expect(html).toBe(`<ul>\n<li>${md.utils.escapeHtml(seen(s))}</li>\n</ul>\n`);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['## h', '\\#\\# h'],
    ['<img src=x>', '&lt;img src=x&gt;'],
    ['1. one', '1\\. one'],
    ['- item', '\\- item'],
    ['a | b', 'a \\| b'],
  ])('escapes %j as %j', (input, output) => {
    expect(markdownText(input)).toBe(output);
  });
});

describe('markdownCode', () => {
  it('renders as one code span holding exactly the text (property)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const line = s.replace(/\r\n|\r|\n/g, ' ');
        fc.pre(line.trim() !== '' && !/\t/.test(line));
        const html = md.renderInline(markdownCode(s));
        expect(html).toBe(`<code>${md.utils.escapeHtml(line)}</code>`);
      }),
      { numRuns: 500 },
    );
  });

  it('fences a name with backticks with a longer run', () => {
    expect(markdownCode('a`b``c')).toBe('``` a`b``c ```');
    expect(markdownCode('plain.yml')).toBe('`plain.yml`');
  });
});

describe('plainText', () => {
  /** Lines as the runner reads them, and whether each would be a command. */
  const commands = (text: string) =>
    text.split(/\r\n|\r|\n/).filter((l) => /^\s*::/.test(l) || l.includes('##['));

  it('leaves no line the runner would take as a command (property)', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        expect(commands(plainText(`${a}\n${b}`))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps ordinary text and its line breaks byte for byte', () => {
    for (const text of ['plain', 'two\nlines', 'CR\r\nLF', 'a: b, c', 'x::y', '50% ##']) {
      expect(plainText(text)).toBe(text);
    }
  });

  it('shows terminal controls instead of sending them', () => {
    expect(plainText('red \u001b[31mtext\u0007')).toBe('red \\u001b[31mtext\\u0007');
  });
});

describe('redactor', () => {
  it('scrubs the token and the forms the escaping gives it', () => {
    const token = 'ghp_a_b%c';
    const redact = redactor(token);
    for (const form of [token, markdownText(token), 'ghp_a_b%25c', encodeURIComponent(token)]) {
      expect(redact(`x ${form} y`)).toBe('x *** y');
    }
    expect(redactor('')('as is')).toBe('as is');
  });
});
