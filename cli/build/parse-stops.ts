/**
 * Stops for NiL.JS's comment scan, put into the minified bundle (after esbuild, which would drop
 * them as dead code).
 *
 * Why: NiL.JS blanks comments lazily. After every division and every regex literal it parses, it
 * rescans the source from there (Parser.RemoveComments) up to the next `/` that looks like the
 * start of a regex literal, character by character (about 40 to 100 ns each). The minified bundle
 * has few such slashes, so each of its ~60 divisions and regex literals rescanned up to 34 KB, and
 * the scan at the start ran 120 KB: about 410 KB scanned per parse, 10 to 25 ms (measured on both
 * engine builds, docs/benchmarks.md "On the engine").
 *
 * A stop is the statement `` `\n/ /`; ``: a template literal (no substitution, so evaluating it
 * does nothing) that the scan cannot read as a string, because its string test fails at a line
 * break; it then meets `/ /` followed by a backtick, which passes for a regex, and stops. The
 * parser itself reads the template as a template, so a stop never starts a scan of its own. One
 * goes at the top and one after each statement holding a division or a regex literal (the
 * innermost one in a statement list), except the last, whose scan may run to the end (a comment
 * there, such as a `//# sourceMappingURL` line, must be blanked or the parser reads it as code;
 * each scan that meets a comment copies the whole source, so the build writes none: bundle.ts).
 * None goes inside a template literal
 * (NiL.JS would end the outer template at the stop's backtick): a site in one gets its stop after
 * the statement around the template.
 */
import * as acorn from 'acorn';

/** The stop; `;` first ends a statement esbuild left without one (`a=b/c}`). */
const STOP = ';`\n/ /`;';
/** Text of the stop after its line break: the columns the rest of its line moves by. */
const AFTER_BREAK = STOP.length - STOP.indexOf('\n') - 1;

interface SourceMapLike {
  mappings: string;
  [key: string]: unknown;
}

type Node = acorn.Node & Record<string, unknown>;

function isSite(node: Node): boolean {
  return (
    (node.type === 'BinaryExpression' && node.operator === '/') ||
    (node.type === 'AssignmentExpression' && node.operator === '/=') ||
    (node.type === 'Literal' && node.regex !== undefined)
  );
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

/** Offsets just after the innermost listed statement around each division or regex literal. */
function siteEnds(program: acorn.Program): number[] {
  const ends = new Set<number>();
  // In a template literal the holder stays the statement around the template.
  const visit = (node: Node, holder: Node | null, inTemplate: boolean): void => {
    if (holder && isSite(node)) ends.add(holder.end);
    const frozen = inTemplate || node.type === 'TemplateLiteral';
    for (const [key, value] of Object.entries(node)) {
      if (Array.isArray(value)) {
        // Statement lists: a program's or block's body, a switch case's consequent.
        const list = !frozen && (key === 'body' || key === 'consequent');
        for (const child of value)
          if (isNode(child))
            visit(child, list && /Statement|Declaration/.test(child.type) ? child : holder, frozen);
      } else if (isNode(value)) visit(value, holder, frozen);
    }
  };
  visit(program as unknown as Node, null, false);
  return [...ends].sort((a, b) => a - b);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The first VLQ value of a mappings segment and the length of its encoding. */
function readVlq(segment: string): { value: number; length: number } {
  let shift = 0;
  let result = 0;
  for (let i = 0; i < segment.length; i++) {
    const digit = BASE64.indexOf(segment[i] as string);
    result += (digit & 31) * 2 ** shift;
    shift += 5;
    if ((digit & 32) === 0) {
      const value = result % 2 === 1 ? -(result - 1) / 2 : result / 2;
      return { value, length: i + 1 };
    }
  }
  throw new Error(`parse-stops: bad source map segment "${segment}"`);
}

function writeVlq(value: number): string {
  let rest = value < 0 ? -value * 2 + 1 : value * 2;
  let out = '';
  do {
    let digit = rest % 32;
    rest = Math.floor(rest / 32);
    if (rest > 0) digit += 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/**
 * The mappings after a stop's line break is put at each (line, column) in `breaks` (sorted): the
 * segments from that column on move to a new line, shifted by the text before them there. Only
 * each segment's generated column changes; its other fields are relative to the previous segment
 * in order, which is kept.
 */
function splitMappings(mappings: string, breaks: Array<[number, number]>): string {
  const lines = mappings.split(';');
  const out: string[] = [];
  let next = 0;
  lines.forEach((line, index) => {
    const cuts: number[] = [];
    while (next < breaks.length && (breaks[next] as [number, number])[0] === index)
      cuts.push((breaks[next++] as [number, number])[1]);
    const pieces: string[][] = cuts.map(() => []);
    pieces.unshift([]);
    let column = 0;
    let previous: number[] = cuts.map(() => 0);
    let previousFirst = 0;
    for (const segment of line === '' ? [] : line.split(',')) {
      const { value, length } = readVlq(segment);
      column += value;
      let piece = 0;
      while (piece < cuts.length && column >= (cuts[piece] as number)) piece++;
      // Column on its new line: after the stop's tail, from the cut.
      const at = piece === 0 ? column : column - (cuts[piece - 1] as number) + AFTER_BREAK;
      const last = piece === 0 ? previousFirst : (previous[piece - 1] as number);
      (pieces[piece] as string[]).push(writeVlq(at - last) + segment.slice(length));
      if (piece === 0) previousFirst = at;
      else previous = previous.map((p, i) => (i === piece - 1 ? at : p));
    }
    out.push(...pieces.map((p) => p.join(',')));
  });
  return out.join(';');
}

/** Generated line and column of every segment of `mappings`, in order. */
export function generatedPositions(mappings: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  mappings.split(';').forEach((line, index) => {
    let column = 0;
    for (const segment of line === '' ? [] : line.split(',')) {
      column += readVlq(segment).value;
      out.push([index, column]);
    }
  });
  return out;
}

/** Line and column of each offset (sorted) in `code`. */
function positions(code: string, offsets: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let line = 0;
  let lineStart = 0;
  let scanned = 0;
  for (const offset of offsets) {
    for (; scanned < offset; scanned++)
      if (code[scanned] === '\n') {
        line += 1;
        lineStart = scanned + 1;
      }
    out.push([line, offset - lineStart]);
  }
  return out;
}

/** The minified script with its stops, and its source map moved to match. */
export function addParseStops<M extends SourceMapLike>(code: string, map: M): { code: string; map: M } {
  const program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script' });
  const ends = siteEnds(program);
  ends.pop();
  const at = [0, ...ends];
  let out = '';
  let from = 0;
  for (const offset of at) {
    out += code.slice(from, offset) + (offset === 0 ? STOP.slice(1) : STOP);
    from = offset;
  }
  out += code.slice(from);
  return { code: out, map: { ...map, mappings: splitMappings(map.mappings, positions(code, at)) } };
}
