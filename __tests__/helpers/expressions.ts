/**
 * A small evaluator for the part of GitHub's expression syntax that our workflows and the
 * publish composite use: literals, property access, ! == != < <= > >= && || and parentheses,
 * and the functions success(), always(), failure(), cancelled(), startsWith, endsWith,
 * contains and fromJSON. It follows GitHub's rules where they surprise: a missing property
 * is null, strings compare without case, mixed types compare as numbers, && and || return
 * one of their operands, and an `if:` without a status function means `success() && (...)`.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** The contexts an expression reads, and how the job has gone so far. */
export interface Contexts {
  github?: Value;
  inputs?: Value;
  steps?: Value;
  env?: Value;
  vars?: Value;
  secrets?: Value;
  needs?: Value;
  job?: Value;
  runner?: Value;
  matrix?: Value;
  /** Whether an earlier step failed; success() is its opposite. */
  failed?: boolean;
  cancelled?: boolean;
}

type Token =
  | { kind: 'op'; text: string }
  | { kind: 'literal'; value: Value }
  | { kind: 'name'; text: string };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ',', '*'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new Error(`unterminated string in: ${source}`);
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i++];
      }
      tokens.push({ kind: 'literal', value: text });
      continue;
    }
    const number = /^(0x[0-9a-f]+|-?\d+(\.\d+)?(e[+-]?\d+)?)/i.exec(source.slice(i));
    if (number && !/[\w-]/.test(source[i + number[0].length] ?? '')) {
      tokens.push({ kind: 'literal', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][\w-]*/.exec(source.slice(i));
    if (name) {
      const text = name[0];
      if (text === 'true' || text === 'false')
        tokens.push({ kind: 'literal', value: text === 'true' });
      else if (text === 'null') tokens.push({ kind: 'literal', value: null });
      else tokens.push({ kind: 'name', text });
      i += text.length;
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, i));
    if (!op) throw new Error(`unexpected '${c}' in: ${source}`);
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

const truthy = (v: Value): boolean =>
  !(v === null || v === false || v === 0 || v === '' || (typeof v === 'number' && Number.isNaN(v)));

function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
}

const typeOf = (v: Value): string => (v === null ? 'null' : typeof v);

function equal(a: Value, b: Value): boolean {
  if (typeOf(a) !== typeOf(b)) return toNumber(a) === toNumber(b);
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const [x, y] = [toNumber(a), toNumber(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : x - y;
}

/** A property of an object, found without regard to case as GitHub does; null when absent. */
function property(object: Value, key: Value): Value {
  if (Array.isArray(object)) return typeof key === 'number' ? (object[key] ?? null) : null;
  if (object === null || typeof object !== 'object') return null;
  const name = String(key);
  if (Object.hasOwn(object, name)) return object[name] ?? null;
  const found = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return found === undefined ? null : (object[found] ?? null);
}

const asString = (v: Value): string =>
  v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly ctx: Contexts,
    private readonly source: string,
  ) {}

  parse(): Value {
    const v = this.or();
    if (this.i < this.tokens.length)
      throw new Error(`unexpected token at the end of: ${this.source}`);
    return v;
  }

  private peekOp(text: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === 'op' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.peekOp(text)) throw new Error(`expected '${text}' in: ${this.source}`);
    this.i++;
  }

  private or(): Value {
    let left = this.and();
    while (this.peekOp('||')) {
      this.i++;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.equality();
    while (this.peekOp('&&')) {
      this.i++;
      const right = this.equality();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private equality(): Value {
    let left = this.comparison();
    for (;;) {
      if (this.peekOp('==') || this.peekOp('!=')) {
        const negate = this.peekOp('!=');
        this.i++;
        const same = equal(left, this.comparison());
        left = negate ? !same : same;
      } else return left;
    }
  }

  private comparison(): Value {
    let left = this.unary();
    for (;;) {
      const op = ['<=', '>=', '<', '>'].find((o) => this.peekOp(o));
      if (!op) return left;
      this.i++;
      const d = compare(left, this.unary());
      left = op === '<' ? d < 0 : op === '>' ? d > 0 : op === '<=' ? d <= 0 : d >= 0;
    }
  }

  private unary(): Value {
    if (this.peekOp('!')) {
      this.i++;
      return !truthy(this.unary());
    }
    return this.postfix();
  }

  private postfix(): Value {
    let v = this.primary();
    for (;;) {
      if (this.peekOp('.')) {
        this.i++;
        const t = this.tokens[this.i++];
        if (t?.kind !== 'name') throw new Error(`expected a property name in: ${this.source}`);
        v = property(v, t.text);
      } else if (this.peekOp('[')) {
        this.i++;
        const key = this.or();
        this.expect(']');
        v = property(v, key);
      } else return v;
    }
  }

  private primary(): Value {
    const t = this.tokens[this.i++];
    if (!t) throw new Error(`unexpected end of: ${this.source}`);
    if (t.kind === 'literal') return t.value;
    if (t.kind === 'op') {
      if (t.text !== '(') throw new Error(`unexpected '${t.text}' in: ${this.source}`);
      const v = this.or();
      this.expect(')');
      return v;
    }
    if (this.peekOp('(')) {
      this.i++;
      const args: Value[] = [];
      while (!this.peekOp(')')) {
        args.push(this.or());
        if (!this.peekOp(')')) this.expect(',');
      }
      this.i++;
      return this.call(t.text, args);
    }
    const contexts = this.ctx as Record<string, Value | boolean | undefined>;
    const known = [
      'github',
      'inputs',
      'steps',
      'env',
      'vars',
      'secrets',
      'needs',
      'job',
      'runner',
      'matrix',
    ];
    if (!known.includes(t.text)) throw new Error(`unknown context '${t.text}' in: ${this.source}`);
    return (contexts[t.text] as Value | undefined) ?? {};
  }

  private call(name: string, args: Value[]): Value {
    const [a = null, b = null] = args;
    switch (name.toLowerCase()) {
      case 'success':
        return !this.ctx.failed && !this.ctx.cancelled;
      case 'failure':
        return Boolean(this.ctx.failed);
      case 'cancelled':
        return Boolean(this.ctx.cancelled);
      case 'always':
        return true;
      case 'startswith':
        return asString(a).toLowerCase().startsWith(asString(b).toLowerCase());
      case 'endswith':
        return asString(a).toLowerCase().endsWith(asString(b).toLowerCase());
      case 'contains':
        return Array.isArray(a)
          ? a.some((x) => equal(x, b))
          : asString(a).toLowerCase().includes(asString(b).toLowerCase());
      case 'fromjson':
        return JSON.parse(asString(a)) as Value;
      default:
        throw new Error(`function ${name}() is not supported by this evaluator: ${this.source}`);
    }
  }
}

const strip = (expr: string): string => {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expr);
  return (m ? m[1] : expr) ?? '';
};

/** The value of one expression (with or without its `${{ }}`). */
export function evaluate(expr: string, ctx: Contexts): Value {
  const source = strip(expr);
  return new Parser(tokenize(source), ctx, source).parse();
}

/** Whether a step or job with this `if:` runs; no `if:` means success(). */
export function runsIf(condition: string | boolean | undefined, ctx: Contexts): boolean {
  if (condition === undefined) return !ctx.failed && !ctx.cancelled;
  const source = strip(String(condition));
  const hasStatus = /\b(success|failure|cancelled|always)\s*\(/i.test(source);
  return truthy(evaluate(hasStatus ? source : `success() && (${source})`, ctx));
}

/** A string with every `${{ expr }}` replaced by its value, as the runner fills `with:` and `env:`. */
export function interpolate(text: string, ctx: Contexts): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => asString(evaluate(expr, ctx)));
}
