// Logical lines: comments cut at the first #, blanks skipped, numbering kept, continuations joined.
import { describe, expect, it } from 'vitest';
import { logicalLines } from '../../src/config/lines.js';

const plain = { continuation: false };
const joined = { continuation: true };

describe('logicalLines', () => {
  it('numbers lines from 1 and skips blank and comment-only lines', () => {
    const text = '# header\n\nkeepalive 2\n   \n\t# indented comment\ndeadtime 30\n';
    expect(logicalLines(text, plain)).toEqual([
      { line: 3, text: 'keepalive 2', words: ['keepalive', '2'] },
      { line: 6, text: 'deadtime 30', words: ['deadtime', '30'] },
    ]);
  });

  it('cuts a trailing comment and the whole rest of the line at the first #', () => {
    const [first] = logicalLines('bcast eth0  # Linux # more\n', plain);
    expect(first?.words).toEqual(['bcast', 'eth0']);
    const [second] = logicalLines('stonith_host * baytech pass#word\n', plain);
    expect(second?.words).toEqual(['stonith_host', '*', 'baytech', 'pass']);
  });

  it('splits on any run of blanks and tabs and trims the line', () => {
    const [line] = logicalLines('  \tnode\t alpha   beta \t\n', plain);
    expect(line).toEqual({
      line: 1,
      text: 'node\t alpha   beta',
      words: ['node', 'alpha', 'beta'],
    });
  });

  it('accepts CRLF line endings', () => {
    const lines = logicalLines('node alpha\r\nbcast eth0\r\n', plain);
    expect(lines.map((l) => l.words)).toEqual([
      ['node', 'alpha'],
      ['bcast', 'eth0'],
    ]);
  });

  it('reads a file without a final newline', () => {
    expect(logicalLines('a\nb', plain).map((l) => [l.line, l.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('does not treat a backslash as continuation unless asked (ha.cf)', () => {
    const lines = logicalLines('node alpha \\\nbeta\n', plain);
    expect(lines.map((l) => l.line)).toEqual([1, 2]);
    expect(lines[0]?.words).toEqual(['node', 'alpha', '\\']);
  });

  it('joins backslash continuations and numbers the group by its first line (haresources)', () => {
    const text = '# c\nalpha 10.0.0.1 \\\n\t10.0.0.2 \\\n   httpd\nbeta 10.0.0.3\n';
    expect(logicalLines(text, joined)).toEqual([
      {
        line: 2,
        text: expect.any(String) as unknown,
        words: ['alpha', '10.0.0.1', '10.0.0.2', 'httpd'],
      },
      { line: 5, text: 'beta 10.0.0.3', words: ['beta', '10.0.0.3'] },
    ]);
  });

  it('strips a comment before looking for the continuation backslash', () => {
    const lines = logicalLines('alpha 10.0.0.1 \\ # first address\n  httpd\n', joined);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.words).toEqual(['alpha', '10.0.0.1', 'httpd']);
  });

  it('ends a continuation at the end of the file', () => {
    const lines = logicalLines('alpha 10.0.0.1 \\', joined);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.words).toEqual(['alpha', '10.0.0.1']);
  });

  it('keeps counting physical lines after a continued group', () => {
    const lines = logicalLines('alpha a \\\n b \\\n c\n\n\nbeta d\n', joined);
    expect(lines.map((l) => l.line)).toEqual([1, 6]);
  });
});
