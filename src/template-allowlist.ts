// Template overrides are repository data that anyone who can push controls, and nunjucks is
// not a sandbox: any member access, call or `set` can reach `Function` (a denylist of member
// names was bypassed with an object whose toString answers differently on each call). So a
// template is parsed with nunjucks' own parser and its tree is checked against an ALLOWLIST
// before anything renders it: literal text, output of the context's variables (and loop
// variables), `if`, `for` over them, comparisons and operators, and a short list of filters
// with a bounded number of literal-or-variable arguments. Everything else is refused, naming
// the line: calls, `set`, macros, include/import/extends, blocks, unknown filters, globals
// such as `range` or `cycler`, regex literals, dict literals, member access other than a
// loop's fields, `.length` and a numeric index.
import nunjucks from 'nunjucks';

/** Filters an override may use, with the most arguments each takes after its input. */
export const ALLOWED_FILTERS: Readonly<Record<string, number>> = {
  yamlstr: 0,
  shquote: 0,
  upper: 0,
  lower: 0,
  capitalize: 0,
  title: 0,
  trim: 0,
  length: 0,
  first: 0,
  last: 0,
  default: 2,
  d: 2,
  join: 1,
  truncate: 3,
};

/** Tests for `x is <test>` (no arguments). */
const ALLOWED_TESTS = new Set(['defined', 'undefined', 'none', 'null', 'string', 'number', 'truthy', 'falsy', 'odd', 'even']);
/** What `loop.<field>` may name inside a `for`. */
const LOOP_FIELDS = new Set(['index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'length']);
/** Operators: pure functions of their operands. */
const OPERATORS = new Set(['Or', 'And', 'Not', 'In', 'Add', 'Concat', 'Sub', 'Mul', 'Div', 'FloorDiv', 'Mod', 'Neg', 'Pos', 'Group', 'Array', 'InlineIf']);
/**
 * `for` inside `for` multiplies the output (two loops over a 200-character title with a 100 KB
 * body are 4 GB), so loops do not nest; a document template needs one level.
 */
const MAX_FOR_DEPTH = 1;
/** A template larger than this is not a template a person wrote. */
export const MAX_TEMPLATE_BYTES = 256 * 1024;
/** A rendered template larger than this is refused rather than written. */
export const MAX_RENDERED_BYTES = 1024 * 1024;

export interface TemplateProblem {
  /** 1-based line of the construct. */
  line: number;
  message: string;
}

interface NodeLike {
  typename: string;
  lineno?: number;
  value?: unknown;
  children?: NodeLike[];
  [field: string]: unknown;
}

class Refusal extends Error {
  constructor(
    readonly node: NodeLike | undefined,
    message: string,
  ) {
    super(message);
  }
}

const parser = (nunjucks as unknown as { parser: { parse(src: string, extensions: unknown[], opts: unknown): NodeLike } }).parser;

/**
 * Why `source` is not an allowed template, or undefined when it is. `variables` are the names
 * the template's context provides. `lexerOptions` must be the environment's (trimBlocks...), so
 * the tree checked is the tree that would be compiled.
 */
export function templateProblem(source: string, variables: Iterable<string>, lexerOptions: Record<string, unknown> = {}): TemplateProblem | undefined {
  if (Buffer.byteLength(source, 'utf8') > MAX_TEMPLATE_BYTES) return { line: 1, message: `the template is larger than ${MAX_TEMPLATE_BYTES / 1024} KB` };
  let root: NodeLike;
  try {
    root = parser.parse(source, [], lexerOptions);
  } catch (err) {
    // the parser's TemplateError carries a 1-based lineno
    const lineno = (err as { lineno?: unknown }).lineno;
    const detail = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 200);
    return { line: typeof lineno === 'number' && lineno > 0 ? lineno : 1, message: detail };
  }
  try {
    new Walker(new Set(variables)).statements(root, new Set(), 0);
    return undefined;
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    return { line: (err.node?.lineno ?? 0) + 1, message: err.message };
  }
}

class Walker {
  constructor(private readonly variables: ReadonlySet<string>) {}

  /** A list of statements: output, literal text, if, for. `bound` holds loop variables. */
  statements(node: NodeLike, bound: ReadonlySet<string>, depth: number): void {
    for (const child of node.children ?? []) this.statement(child, bound, depth);
  }

  private statement(node: NodeLike, bound: ReadonlySet<string>, depth: number): void {
    switch (node.typename) {
      case 'NodeList':
        return this.statements(node, bound, depth);
      case 'Output':
        for (const child of node.children ?? []) {
          if (child.typename === 'TemplateData') continue;
          this.expression(child, bound);
        }
        return;
      case 'If':
        this.expression(node.cond as NodeLike, bound);
        this.branch(node.body, bound, depth);
        return this.branch(node.else_, bound, depth);
      case 'For': {
        if (depth >= MAX_FOR_DEPTH) throw new Refusal(node, 'a "for" inside a "for" is not allowed');
        this.expression(node.arr as NodeLike, bound);
        const inner = new Set(bound);
        inner.add('loop');
        for (const name of this.loopNames(node.name as NodeLike)) inner.add(name);
        this.branch(node.body, inner, depth + 1);
        // `else` runs when the list is empty: the loop's names are not bound there
        return this.branch(node.else_, bound, depth);
      }
      default:
        throw new Refusal(node, `${describe(node)} is not allowed in a template override`);
    }
  }

  private branch(node: unknown, bound: ReadonlySet<string>, depth: number): void {
    if (node === null || node === undefined) return;
    const list = node as NodeLike;
    if (list.typename === 'If') return this.statement(list, bound, depth); // elif
    this.statements(list, bound, depth);
  }

  private loopNames(name: NodeLike): string[] {
    const names = name.typename === 'Array' ? (name.children ?? []) : [name];
    return names.map((n) => {
      if (n.typename !== 'Symbol' || typeof n.value !== 'string') throw new Refusal(n, 'a "for" must name plain loop variables');
      return n.value;
    });
  }

  private expression(node: NodeLike, bound: ReadonlySet<string>): void {
    switch (node.typename) {
      case 'Literal': {
        const v = node.value;
        if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return;
        throw new Refusal(node, 'only string, number, true/false and none literals are allowed (no regular expressions)');
      }
      case 'Symbol': {
        const name = String(node.value);
        if (bound.has(name) || this.variables.has(name)) return;
        throw new Refusal(node, `"${name}" is not a variable this template's context provides (${[...this.variables].sort().join(', ') || 'none'})`);
      }
      case 'LookupVal':
        return this.lookup(node, bound);
      case 'Filter':
        return this.filter(node, bound);
      case 'Is': {
        const test = node.right as NodeLike;
        if (test.typename !== 'Symbol' || !ALLOWED_TESTS.has(String(test.value))) throw new Refusal(node, `only the tests ${[...ALLOWED_TESTS].join(', ')} are allowed after "is"`);
        return this.expression(node.left as NodeLike, bound);
      }
      case 'Compare':
        this.expression(node.expr as NodeLike, bound);
        for (const op of (node.ops as NodeLike[]) ?? []) this.expression(op.expr as NodeLike, bound);
        return;
      default:
        if (!OPERATORS.has(node.typename)) throw new Refusal(node, `${describe(node)} is not allowed in a template override`);
        for (const field of ['left', 'right', 'target', 'cond', 'body', 'else_']) {
          const child = node[field] as NodeLike | undefined | null;
          if (child) this.expression(child, bound);
        }
        for (const child of node.children ?? []) this.expression(child, bound);
    }
  }

  /** `loop.index` (and the other loop fields), `x.length`, `x[0]`: nothing that can reach a function. */
  private lookup(node: NodeLike, bound: ReadonlySet<string>): void {
    const target = node.target as NodeLike;
    const key = node.val as NodeLike;
    const literal = key.typename === 'Literal' ? key.value : undefined;
    if (target.typename === 'Symbol' && target.value === 'loop' && bound.has('loop')) {
      if (typeof literal === 'string' && LOOP_FIELDS.has(literal)) return;
      throw new Refusal(node, `loop.${String(literal)} is not allowed (use ${[...LOOP_FIELDS].map((f) => `loop.${f}`).join(', ')})`);
    }
    const index = typeof literal === 'number' && Number.isSafeInteger(literal) && literal >= 0;
    if (!index && literal !== 'length') throw new Refusal(node, 'member access is not allowed in a template override (only loop fields, .length and a numeric index)');
    this.expression(target, bound);
  }

  private filter(node: NodeLike, bound: ReadonlySet<string>): void {
    const name = node.name as NodeLike;
    const id = name.typename === 'Symbol' ? String(name.value) : '';
    const max = Object.hasOwn(ALLOWED_FILTERS, id) ? ALLOWED_FILTERS[id] : undefined;
    if (max === undefined) throw new Refusal(node, `the filter "${id}" is not allowed (allowed: ${Object.keys(ALLOWED_FILTERS).join(', ')})`);
    const args = (node.args as NodeLike).children ?? [];
    if (args.length - 1 > max) throw new Refusal(node, `the filter "${id}" takes at most ${max} argument${max === 1 ? '' : 's'} here`);
    for (const arg of args) {
      if (arg.typename === 'KeywordArgs') throw new Refusal(arg, `keyword arguments are not allowed (filter "${id}")`);
      this.expression(arg, bound);
    }
  }
}

const NAMES: Record<string, string> = {
  FunCall: 'a call',
  Set: '"set"',
  Macro: '"macro"',
  Caller: '"call"',
  Include: '"include"',
  Import: '"import"',
  FromImport: '"from ... import"',
  Extends: '"extends"',
  Block: '"block"',
  Super: '"super"',
  Capture: 'a "filter" block',
  Switch: '"switch"',
  Dict: 'a dict literal',
  KeywordArgs: 'keyword arguments',
  CallExtension: 'an extension tag',
  Pow: 'the ** operator',
};

function describe(node: NodeLike): string {
  return NAMES[node.typename] ?? `"${node.typename}"`;
}
