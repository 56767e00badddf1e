import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ValuePath } from './references';

/** 1-based, as editors and `file:line:column` show them. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

interface Found {
  /** The node at the path, or null when the path leaves the document. */
  readonly node: Node | null;
  /** The key node of the last step when it was a mapping key. */
  readonly key: Node | null;
  /** The deepest node on the path that exists (the document itself when none does). */
  readonly deepest: Node | null;
}

/**
 * Maps a path in the parsed value (`['steps', 'train', 'params', 'target']`) back to where the
 * YAML wrote it, so every message can say `pipeline.yaml:12:5`.
 */
export class SourcePositions {
  constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
  ) {}

  position(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /** Where the value at `path` starts; for a missing value, where the deepest existing node on the path starts. */
  valueAt(path: ValuePath): SourcePosition {
    const found = this.find(path);
    return this.startOf(found.node ?? found.deepest);
  }

  /** Where the key of the last path element is written (for "unknown field"); the value's place when it is no key. */
  keyAt(path: ValuePath): SourcePosition {
    const found = this.find(path);
    return this.startOf(found.key ?? found.node ?? found.deepest);
  }

  /**
   * Where `needle` is written inside the value at `path` (a reference inside a longer string),
   * or the value's start when it cannot be found verbatim (escapes, folded lines).
   */
  withinValueAt(path: ValuePath, needle: string): SourcePosition {
    const found = this.find(path);
    const node = found.node ?? found.deepest;
    if (node?.range) {
      const index = this.text.slice(node.range[0], node.range[1]).indexOf(needle);
      if (index >= 0) return this.position(node.range[0] + index);
    }
    return this.startOf(node);
  }

  /** Keys of the mapping at `path`, in the order written (step order comes from here). */
  keysAt(path: ValuePath): string[] {
    const node = this.find(path).node;
    return isMap(node) ? node.items.map((pair) => keyText(pair.key)) : [];
  }

  private startOf(node: Node | null): SourcePosition {
    return node?.range ? this.position(node.range[0]) : { line: 1, column: 1 };
  }

  private resolve(node: unknown): Node | null {
    if (isAlias(node)) return (node.resolve(this.document) as Node | undefined) ?? null;
    return isNode(node) ? node : null;
  }

  private find(path: ValuePath): Found {
    let node = this.resolve(this.document.contents);
    let key: Node | null = null;
    let deepest: Node | null = node;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item.key) === String(part));
        if (!pair) return { node: null, key: null, deepest };
        key = isNode(pair.key) ? pair.key : null;
        node = this.resolve(pair.value);
      } else if (isSeq(node) && typeof part === 'number') {
        key = null;
        node = this.resolve(node.items[part]);
      } else {
        return { node: null, key: null, deepest };
      }
      if (!node) return { node: null, key, deepest };
      deepest = node;
    }
    return { node, key, deepest };
  }
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}
