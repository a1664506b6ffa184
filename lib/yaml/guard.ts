/**
 * What keeps reading hostile YAML cheap and finite:
 *
 * - An anchored node is converted once; every alias to it shares that value,
 *   as PyYAML does. "Billion laughs" (aliases of aliases, nine levels deep)
 *   then costs the size of the text, not 10^9 strings, used or not.
 * - An alias inside the node it refers to (`a: &a {k: *a}`) would make a
 *   value that contains itself, which no later step can walk: it is an error.
 * - An alias must follow its anchor in the text (PyYAML: "found undefined
 *   alias"); a forward or unknown alias is an error, never null.
 * - Nesting is bounded, so converting and every later walk over the value
 *   stay far from the JavaScript stack limit.
 */
import { isAlias, isCollection, isScalar, isSeq, visit, type Alias, type Document, type Node } from 'yaml';
import { TsplayError, type SourcePos } from '../errors.js';

/** Deeper than any real playbook or inventory; far below the stack limit of the walkers that follow. */
export const MAX_YAML_DEPTH = 200;

/** Values (with aliases expanded) bigger than this cannot be used: the limit is reached only by aliases of aliases. */
export const MAX_EXPANDED_NODES = 1_000_000;

/**
 * An aliased value too big to expand costs nothing while nobody looks at it
 * (Ansible runs a playbook with an unused "billion laughs"); the first use,
 * by a template, a filter or the output, is a clear error instead of minutes
 * of work and a crash out of memory.
 */
function oversized(value: object, anchor: string, size: number, pos: SourcePos): object {
  const refuse = (): never => {
    throw new TsplayError('parse', `the YAML value &${anchor} expands to ${size.toExponential(1)} items through aliases, more than ${MAX_EXPANDED_NODES} can be used`, {
      pos,
      hint: 'a value made of aliases of aliases ("billion laughs") can be loaded but not used: write the data out, or reduce the aliases',
    });
  };
  return new Proxy(value, { get: refuse, has: refuse, ownKeys: refuse, getOwnPropertyDescriptor: refuse, set: refuse, defineProperty: refuse, deleteProperty: refuse });
}

export class YamlGuard {
  /** Each alias's anchored node: the last one with that anchor before the alias in the text. */
  private readonly targets = new Map<Alias, Node | undefined>();
  private readonly done = new Map<Node, unknown>();
  private readonly inProgress = new Set<Node>();
  private depth = 0;
  /** The deepest level reached so far, to know how deep each anchored value is. */
  private deepest = 0;
  /** How many levels each anchored value spans, itself included. */
  private readonly heights = new Map<Node, number>();
  /** How many nodes each anchored value stands for with its aliases expanded. */
  private readonly sizes = new Map<Node, number>();
  private count = 0;

  constructor(
    doc: Document.Parsed,
    private readonly at: (node: unknown) => SourcePos,
  ) {
    // visit() is pre-order: a collection's anchor is seen before the aliases inside it, as PyYAML registers it.
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) this.targets.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
  }

  private readonly warned = new Set<string>();

  /** Ansible's duplicate-key warning, once per mapping and key however often the mapping is read. */
  warnDuplicate(map: Node, key: string, warn: (message: string) => void): void {
    const id = `${map.range?.[0]}:${key}`;
    if (this.warned.has(id)) return;
    this.warned.add(id);
    warn(duplicateKeyWarning(this.at(map), key));
  }

  /** Where a node was written. */
  posOf(node: unknown): SourcePos {
    return this.at(node);
  }

  /**
   * The value of `node` as `build` makes it, with aliases resolved to the
   * shared value of their anchor. `build` converts one node and calls back
   * into `convert` (which goes through here) for its children.
   */
  convert(node: Node, build: (node: Node) => unknown): unknown {
    if (isAlias(node)) {
      const target = this.targets.get(node);
      if (!target) {
        throw new TsplayError('parse', `YAML syntax error: found undefined alias '*${node.source}'`, {
          pos: this.at(node),
          hint: `define the anchor &${node.source} before this alias: an alias can only refer to an anchor above it in the file`,
        });
      }
      if (this.inProgress.has(target)) {
        throw new TsplayError('parse', `YAML error: the alias '*${node.source}' is inside the value it refers to, which would make it contain itself`, {
          pos: this.at(node),
          hint: `refer to &${node.source} only from outside its own value`,
        });
      }
      if (!this.done.has(target)) return this.convert(target, build);
      // A shared value is as deep here as it was where it was written: aliases of aliases must not stack up past the bound.
      const height = this.heights.get(target) ?? 1;
      if (this.depth + height > MAX_YAML_DEPTH) throw this.tooDeep(node);
      this.deepest = Math.max(this.deepest, this.depth + height);
      this.count += this.sizes.get(target) ?? 1;
      return this.done.get(target);
    }
    if (this.depth >= MAX_YAML_DEPTH) throw this.tooDeep(node);
    const anchored = !!node.anchor && (isCollection(node) || isScalar(node));
    if (anchored) this.inProgress.add(node);
    this.depth++;
    const outer = this.deepest;
    this.deepest = this.depth;
    const countBefore = this.count++;
    try {
      let value = build(node);
      if (anchored) {
        const size = this.count - countBefore;
        if (size > MAX_EXPANDED_NODES && value && typeof value === 'object') value = oversized(value, node.anchor!, size, this.at(node));
        this.done.set(node, value);
        this.heights.set(node, this.deepest - this.depth + 1);
        this.sizes.set(node, size);
      }
      return value;
    } finally {
      this.deepest = Math.max(outer, this.deepest);
      this.depth--;
      if (anchored) this.inProgress.delete(node);
    }
  }

  private tooDeep(node: Node): TsplayError {
    return new TsplayError('parse', `YAML error: the data is nested more than ${MAX_YAML_DEPTH} levels deep`, {
      pos: this.at(node),
      hint: `flatten the structure; tsplay reads at most ${MAX_YAML_DEPTH} levels of nested lists and mappings, aliases included`,
    });
  }

  /**
   * The mappings a merge key `<<` brings in, lowest precedence first: with
   * `<<: [*a, *b]` the keys of *a win over *b (PyYAML's order), and the
   * mapping's own keys win over both (the caller sets them after these).
   */
  mergeSources(value: unknown, convert: (node: unknown) => unknown): Array<Record<string, unknown>> {
    const nodes = isSeq(value) ? value.items : [value];
    const out: Array<Record<string, unknown>> = [];
    for (const n of nodes) {
      const v = convert(n);
      if (!v || typeof v !== 'object' || Array.isArray(v)) {
        throw new TsplayError('parse', 'YAML error: a merge key (<<) takes a mapping or a list of mappings', {
          pos: this.at(n),
          hint: "write '<<: *anchor' where &anchor names a mapping, or '<<: [*a, *b]'",
        });
      }
      out.push(v as Record<string, unknown>);
    }
    return out.reverse();
  }
}

/** A plain `<<` key (with `merge: true` the yaml package reads it as a symbol); a quoted '<<' is an ordinary key. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return (typeof v === 'symbol' && v.description === '<<') || (v === '<<' && key.type === 'PLAIN');
}

/** Ansible's warning for a key written twice in one mapping (the last one wins). */
export function duplicateKeyWarning(pos: SourcePos, key: string): string {
  return `While constructing a mapping from ${pos.file}, line ${pos.line}, column ${pos.col}, found a duplicate dict key (${key}). Using last defined value only.`;
}
