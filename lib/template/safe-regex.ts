/**
 * Regular expressions of templates (regex_search, regex_replace,
 * regex_findall, the match/search tests), which run on host data: a
 * backtracking engine can take exponential time on a short string
 * (`(a+)+$` against 'aaaa…b') and blocks the event loop, so neither the
 * evaluation's time budget nor a signal can stop it.
 *
 * Patterns RE2 accepts (all but backreferences and lookaround) run on re2js,
 * a pure-JavaScript port of RE2: time linear in the input, whatever the
 * pattern. The others run on JavaScript's engine inside node:vm with the
 * time left to the evaluation as its timeout (V8 interrupts a running
 * regular expression at it). Like every evaluation, it hears a signal when
 * it ends, at the latest when its time is up. (Not breakOnSigint: while it
 * runs, Node detaches the process's SIGINT handlers, and a Ctrl-C that came
 * just before is lost with them.)
 * Both speak Python's dialect as regex.ts translates it.
 */
import vm from 'node:vm';
import { RE2JS } from 're2js';
import { chargeItems, remainingMs, tick, timeUp } from './limits.js';
import { hasEndOfLineAnchor, pyRegex } from './regex.js';
import { templateError } from './values.js';

export interface PyMatch {
  /** Group 0 is the whole match; a group that did not take part is undefined. */
  groups: (string | undefined)[];
  named: Record<string, string | undefined>;
  index: number;
  end: number;
}

export interface PyPatternOptions {
  ignorecase?: unknown;
  multiline?: unknown;
}

export interface PyPattern {
  /** The first match at or after `from`. */
  search(s: string, from?: number): PyMatch | null;
  /** A match that starts at 0 (Python's re.match). */
  matchStart(s: string): PyMatch | null;
  /** Every non-overlapping match, left to right. */
  all(s: string): PyMatch[];
}

const cache = new Map<string, PyPattern>();

/** What one match costs beyond its groups, in list slots: the match object, its group list, its offsets. */
const MATCH_SLOTS = 8;

const NO_NAMES: Record<string, string | undefined> = Object.freeze(Object.create(null));

export function pyPattern(pattern: unknown, opts: PyPatternOptions = {}): PyPattern {
  if (typeof pattern !== 'string') throw templateError(`a regular expression must be a string, not ${typeof pattern}`);
  const key = `${opts.ignorecase ? 'i' : ''}${opts.multiline ? 'm' : ''}/${pattern}`;
  let p = cache.get(key);
  if (!p) {
    p = re2Pattern(pattern, opts) ?? new GuardedPattern(pattern, opts);
    if (cache.size > 5000) cache.clear();
    cache.set(key, p);
  }
  return p;
}

/** Python's syntax in RE2's: the same but for \Z (RE2's \z) and the inline flags, which become compile flags. */
function re2Pattern(pattern: string, opts: PyPatternOptions): PyPattern | undefined {
  let src = pattern;
  let flags = 0;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    if (inline[1].includes('x')) return undefined; // verbose patterns: the fallback refuses them as before
    src = src.slice(inline[0].length);
    if (inline[1].includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
    if (inline[1].includes('m')) flags |= RE2JS.MULTILINE;
    if (inline[1].includes('s')) flags |= RE2JS.DOTALL;
  }
  if (opts.ignorecase) flags |= RE2JS.CASE_INSENSITIVE;
  if (opts.multiline) flags |= RE2JS.MULTILINE;
  src = src.replace(/(^|[^\\])((?:\\\\)*)\\Z/g, '$1$2\\z');
  // Python's `$` without MULTILINE also matches before a final newline, RE2's does not: such a
  // pattern runs on JavaScript's engine (pyRegex translates the `$`) for a text ending with one.
  const endAnchor = !(flags & RE2JS.MULTILINE) && hasEndOfLineAnchor(src) ? () => new GuardedPattern(pattern, opts) : undefined;
  try {
    return new Re2Pattern(RE2JS.compile(src, flags), endAnchor);
  } catch {
    return undefined; // not RE2 syntax (a backreference, lookaround) or not valid at all: the fallback says which
  }
}

class Re2Pattern implements PyPattern {
  private readonly names: [string, number][];
  private endAnchored?: PyPattern;
  constructor(
    private readonly re: RE2JS,
    private readonly endAnchor?: () => PyPattern,
  ) {
    this.names = Object.entries(re.namedGroups() as Record<string, number>);
  }

  /** The pattern for a text where Python's `$` and RE2's differ (one ending with a newline), if they can. */
  private forText(s: string): PyPattern | undefined {
    if (!this.endAnchor || !s.endsWith('\n')) return undefined;
    return (this.endAnchored ??= this.endAnchor());
  }

  private toMatch(m: ReturnType<RE2JS['matcher']>): PyMatch {
    const groups: (string | undefined)[] = [];
    for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i) ?? undefined);
    let named = NO_NAMES;
    if (this.names.length) {
      named = Object.create(null);
      for (const [name, i] of this.names) named[name] = groups[i];
    }
    return { groups, named, index: m.start(), end: m.end() };
  }

  search(s: string, from = 0): PyMatch | null {
    const other = this.forText(s);
    if (other) return other.search(s, from);
    const m = this.re.matcher(s);
    return m.find(from) ? this.toMatch(m) : null;
  }

  matchStart(s: string): PyMatch | null {
    const other = this.forText(s);
    if (other) return other.matchStart(s);
    const m = this.re.matcher(s);
    return m.lookingAt() ? this.toMatch(m) : null;
  }

  all(s: string): PyMatch[] {
    const other = this.forText(s);
    if (other) return other.all(s);
    const m = this.re.matcher(s);
    const out: PyMatch[] = [];
    while (m.find()) {
      tick('a regular expression');
      if ((out.length & 0xfff) === 0) chargeItems(0x1000 * (m.groupCount() + MATCH_SLOTS), 'the matches of a regular expression');
      out.push(this.toMatch(m));
    }
    return out;
  }
}

const sandbox = vm.createContext({});
const callFn = new vm.Script('fn()');

/** Runs `fn` with the evaluation's time left as its limit. */
function guarded<T>(fn: () => T, pattern: string): T {
  const left = remainingMs();
  (sandbox as { fn?: () => T }).fn = fn;
  try {
    return callFn.runInContext(sandbox, { timeout: Number.isFinite(left) ? Math.max(1, Math.ceil(left)) : 10_000 }) as T;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') timeUp(`the regular expression '${pattern}'`);
    throw e;
  } finally {
    (sandbox as { fn?: () => T }).fn = undefined;
  }
}

/** Backreferences and lookaround: JavaScript's engine, bounded by time (see above). */
class GuardedPattern implements PyPattern {
  private readonly re: RegExp;
  constructor(
    private readonly pattern: string,
    opts: PyPatternOptions,
  ) {
    this.re = pyRegex(pattern, { ...opts, global: true });
  }

  private toMatch(m: RegExpExecArray): PyMatch {
    const named: Record<string, string | undefined> = Object.create(null);
    if (m.groups) for (const [k, v] of Object.entries(m.groups)) named[k] = v;
    return { groups: [...m], named, index: m.index, end: m.index + m[0].length };
  }

  search(s: string, from = 0): PyMatch | null {
    return guarded(() => {
      this.re.lastIndex = from;
      const m = this.re.exec(s);
      return m ? this.toMatch(m) : null;
    }, this.pattern);
  }

  matchStart(s: string): PyMatch | null {
    return guarded(() => {
      const sticky = new RegExp(this.re.source, this.re.flags.replace('g', '') + 'y');
      const m = sticky.exec(s);
      return m ? this.toMatch(m) : null;
    }, this.pattern);
  }

  all(s: string): PyMatch[] {
    return guarded(() => {
      const out: PyMatch[] = [];
      this.re.lastIndex = 0;
      for (const m of s.matchAll(this.re)) {
        if ((out.length & 0xfff) === 0) chargeItems(0x1000 * (m.length + MATCH_SLOTS), 'the matches of a regular expression');
        out.push(this.toMatch(m));
      }
      return out;
    }, this.pattern);
  }
}
