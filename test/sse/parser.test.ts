import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_LIMIT, SseParser } from '../../src/sse/reader.ts';
import { bytesOf, datas, parse } from './parse.ts';

describe('SseParser: line endings', () => {
  it('splits on LF, CRLF and CR and counts each style', () => {
    const { events, diagnostics } = parse(['data: a\n\ndata: b\r\n\r\ndata: c\r\r']);
    expect(datas(events)).toEqual(['a', 'b', 'c']);
    expect(diagnostics.lineEndings).toEqual({ lf: 2, crlf: 2, cr: 2 });
  });

  it('treats CR ending one chunk and LF starting the next as ONE CRLF', () => {
    const { events, diagnostics } = parse(['data: a\r', '\n\r', '\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.lineEndings).toEqual({ lf: 0, crlf: 2, cr: 0 });
  });

  it('counts a CR at a chunk end followed by a non-LF as CR', () => {
    const { events, diagnostics } = parse(['data: a\r', '\r', 'data: b\n\n']);
    expect(datas(events)).toEqual(['a', 'b']);
    expect(diagnostics.lineEndings).toEqual({ lf: 2, crlf: 0, cr: 2 });
  });

  it('counts a CR that ends the stream as CR', () => {
    expect(parse(['data: a\n\r']).diagnostics.lineEndings).toEqual({ lf: 1, crlf: 0, cr: 1 });
  });

  it('keeps the CR/CRLF decision across empty chunks', () => {
    const { events, diagnostics } = parse(['data: a\r', '', '\n\r', new Uint8Array(0), '\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.lineEndings).toEqual({ lf: 0, crlf: 2, cr: 0 });
  });
});

describe('SseParser: BOM', () => {
  it('strips a leading UTF-8 BOM and reports it, even when split across chunks', () => {
    const bytes = bytesOf('\uFEFFdata: a\n\n');
    const { events, diagnostics } = parse([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)]);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.bom).toBe(true);
  });

  it('strips only one BOM, and only at stream start', () => {
    const twice = parse(['\uFEFF\uFEFFdata: a\n\n']);
    expect(twice.events).toEqual([]);
    expect(twice.diagnostics.unknownFields).toEqual(['\uFEFFdata']);

    const later = parse(['\n\uFEFFdata: a\n\n']);
    expect(later.events).toEqual([]);
    expect(later.diagnostics.bom).toBe(false);
  });
});

describe('SseParser: fields', () => {
  it('ignores comments but records them with a count', () => {
    const { events, diagnostics } = parse([': ping\n:\ndata: a\n\n:x\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.comments).toEqual([' ping', '', 'x']);
    expect(diagnostics.commentCount).toBe(3);
  });

  it('bounds the stored comments but keeps counting', () => {
    const { diagnostics } = parse([':c\n'.repeat(DIAGNOSTIC_LIMIT + 10)]);
    expect(diagnostics.comments).toHaveLength(DIAGNOSTIC_LIMIT);
    expect(diagnostics.commentCount).toBe(DIAGNOSTIC_LIMIT + 10);
  });

  it('treats a line without a colon as a field name with an empty value', () => {
    const { events, diagnostics } = parse(['data\n\ndata\ndata\n\nevent\ndata: x\n\n']);
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['message', ''],
      ['message', '\n'],
      ['message', 'x'],
    ]);
    expect(diagnostics.fieldsWithoutColon).toEqual(['data', 'event']);
  });

  it('strips exactly one space after the colon', () => {
    const { events } = parse(['data:a\n\ndata: a\n\ndata:  a\n\ndata:\ta\n\n']);
    expect(datas(events)).toEqual(['a', 'a', ' a', '\ta']);
  });

  it('splits on the first colon only', () => {
    expect(datas(parse(['data: {"a":"b:c"}\n\n']).events)).toEqual(['{"a":"b:c"}']);
  });

  it('joins multi-line data with LF and drops only the final LF', () => {
    const { events } = parse(['data: a\ndata:\ndata: b\n\ndata: \ndata: \n\n']);
    expect(datas(events)).toEqual(['a\n\nb', '\n']);
  });

  it('sets the event type, falling back to message when empty, and resets it per event', () => {
    const { events } = parse(['event: delta\ndata: 1\n\nevent:\ndata: 2\n\ndata: 3\n\n']);
    expect(events.map((e) => e.event)).toEqual(['delta', 'message', 'message']);
  });

  it('keeps the last event id across events and ignores ids containing NUL', () => {
    const { events } = parse(['id: 1\ndata: a\n\ndata: b\n\nid: 2\0x\ndata: c\n\nid\ndata: d\n\n']);
    expect(events.map((e) => e.id)).toEqual(['1', '1', '1', undefined]);
  });

  it('applies an id even from a block that dispatches nothing', () => {
    expect(parse(['id: 7\n\ndata: a\n\n']).events[0].id).toBe('7');
  });

  it('accepts retry only when it is all ASCII digits', () => {
    const { events } = parse([
      'retry: 1500\ndata: a\n\nretry: 15x\ndata: b\n\nretry: -1\ndata: c\n\nretry:\ndata: d\n\nretry: ١\ndata: e\n\n',
    ]);
    expect(events.map((e) => e.retry)).toEqual([1500, undefined, undefined, undefined, undefined]);
  });

  it('ignores unknown fields (case-sensitive) and records their names once', () => {
    const { events, diagnostics } = parse(['Data: x\nfoo: 1\nfoo: 2\ndata: a\n\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.unknownFields).toEqual(['Data', 'foo']);
  });
});

describe('SseParser: dispatch', () => {
  it('does not dispatch a block without data', () => {
    const { events } = parse(['event: x\nid: 1\nretry: 5\n\n: only a comment\n\n\n\n']);
    expect(events).toEqual([]);
  });

  it('does not dispatch data left without a blank line at EOF, but reports it', () => {
    const { events, diagnostics } = parse(['data: a\n\ndata: b\ndata: c\n']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.trailingUndispatched).toBe('data: b\ndata: c');
  });

  it('reports an unterminated data line at EOF', () => {
    const { events, diagnostics } = parse(['data: [DONE]']);
    expect(events).toEqual([]);
    expect(diagnostics.trailingUndispatched).toBe('data: [DONE]');
  });

  it('notes the field of an unterminated last line that carries no data: a bare [DONE] at EOF is a line without a colon', () => {
    const { events, diagnostics } = parse(['data: a\n\n[DONE]']);
    expect(datas(events)).toEqual(['a']);
    expect(diagnostics.trailingUndispatched).toBeNull();
    expect(diagnostics.fieldsWithoutColon).toEqual(['[DONE]']);
    expect(parse(['data: a\n\nDATA: [DONE]']).diagnostics.unknownFields).toEqual(['DATA']);
    expect(parse(['data: a\n\n: bye']).diagnostics).toMatchObject({ fieldsWithoutColon: [], unknownFields: [] });
  });

  it('does not report an unfinished block without data', () => {
    expect(parse(['data: a\n\n: keepalive\nevent: x\n']).diagnostics.trailingUndispatched).toBeNull();
    expect(parse(['data: a\n\n']).diagnostics.trailingUndispatched).toBeNull();
  });

  it('numbers the events across mixed line endings, comments and blank lines', () => {
    const text = ': hi\r\ndata: a\r\n\r\n\ndata: é\n\n';
    const { events, diagnostics } = parse([text]);
    expect(events.map((e) => [e.index, e.data])).toEqual([
      [0, 'a'],
      [1, 'é'],
    ]);
    expect(diagnostics.lineEndings).toEqual({ lf: 3, crlf: 3, cr: 0 });
  });

  it('calls onEvent and stops after maxEvents when more arrive', () => {
    const seen: string[] = [];
    const parser = new SseParser({ maxEvents: 2, onEvent: (e) => seen.push(e.data) });
    parser.push(bytesOf('data: 1\n\ndata: 2\n\n'));
    expect(parser.limitExceeded).toBe(false);
    parser.push(bytesOf('data: 3\n\ndata: 4\n\n'));
    expect(parser.limitExceeded).toBe(true);
    expect(seen).toEqual(['1', '2']);
    expect(parser.end().eventCount).toBe(2);
  });
});

describe('SseParser: UTF-8', () => {
  it('keeps multi-byte characters split across chunks', () => {
    const bytes = bytesOf('data: é€😀\n\n');
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const { events, diagnostics } = parse([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(datas(events)).toEqual(['é€😀']);
        expect(diagnostics.invalidUtf8).toBe(false);
      }
    }
  });

  it('flags invalid UTF-8 and decodes it with replacement characters', () => {
    const invalid = new Uint8Array([...bytesOf('data: a'), 0xff, 0xe2, 0x82, ...bytesOf('\n\n')]);
    const { events, diagnostics } = parse([invalid]);
    expect(datas(events)).toEqual(['a\uFFFD\uFFFD']);
    expect(diagnostics.invalidUtf8).toBe(true);
  });

  it('flags a multi-byte sequence cut short by a line end', () => {
    const { diagnostics } = parse([new Uint8Array([...bytesOf('data: '), 0xf0, 0x9f, ...bytesOf('\n\n')])]);
    expect(diagnostics.invalidUtf8).toBe(true);
  });

  it('does not flag a literal U+FFFD', () => {
    const { events, diagnostics } = parse(['data: \uFFFD\n\n']);
    expect(datas(events)).toEqual(['\uFFFD']);
    expect(diagnostics.invalidUtf8).toBe(false);
  });
});
