/**
 * The step graph: `depends_on` resolved against the file order, cycles found and named, and an
 * order to run in.
 */
import type { ValuePath } from './references';
import { didYouMean } from './suggest';

export interface GraphIssue {
  readonly path: ValuePath;
  readonly message: string;
}

export interface ResolvedDependencies {
  /** Step id → its direct upstream step ids (valid ones only, without repeats). */
  readonly upstream: Record<string, string[]>;
  /** Where each `step ← upstream` edge was written, for pointing at it; absent for the default. */
  readonly edgePaths: ReadonlyMap<string, ValuePath>;
  readonly issues: GraphIssue[];
}

export const edgeKey = (step: string, upstream: string): string => `${step}\u0000${upstream}`;

/**
 * `depends_on` absent → the previous step in file order (none for the first); a string → that
 * step; a list → those steps (`[]` makes a root). Values of the wrong type are the schema's to
 * report; they count as `[]` here so one mistake is not reported twice.
 */
export function resolveDependencies(order: readonly string[], dependsOn: Readonly<Record<string, unknown>>): ResolvedDependencies {
  const known = new Set(order);
  const upstream: Record<string, string[]> = {};
  const edgePaths = new Map<string, ValuePath>();
  const issues: GraphIssue[] = [];
  order.forEach((step, index) => {
    const raw = dependsOn[step];
    const base: ValuePath = ['steps', step, 'depends_on'];
    let declared: Array<{ name: string; path: ValuePath }>;
    if (raw === undefined) declared = index === 0 ? [] : [{ name: order[index - 1]!, path: [] }];
    else if (typeof raw === 'string') declared = [{ name: raw, path: base }];
    else if (Array.isArray(raw)) declared = raw.flatMap((name, position) => (typeof name === 'string' ? [{ name, path: [...base, position] }] : []));
    else declared = [];
    const names: string[] = [];
    for (const { name, path } of declared) {
      if (name === step) issues.push({ path, message: `steps.${step} depends on itself` });
      else if (!known.has(name)) issues.push({ path, message: `depends on '${name}', which is not a step${didYouMean(name, order.filter((other) => other !== step))}` });
      else if (!names.includes(name)) {
        names.push(name);
        if (path.length > 0) edgePaths.set(edgeKey(step, name), path);
      }
    }
    upstream[step] = names;
  });
  return { upstream, edgePaths, issues };
}

/**
 * One cycle per strongly connected group of steps, in the direction data flows
 * (`a → b` when b depends on a), starting at the group's first step in the file.
 */
export function findCycles(order: readonly string[], upstream: Readonly<Record<string, readonly string[]>>): string[][] {
  const downstream = new Map<string, string[]>(order.map((step) => [step, []]));
  for (const step of order) for (const parent of upstream[step] ?? []) downstream.get(parent)?.push(step);
  const groups = stronglyConnected(order, downstream);
  const rank = new Map(order.map((step, index) => [step, index]));
  const cycles: string[][] = [];
  for (const group of groups) {
    if (group.length < 2) continue;
    const members = new Set(group);
    const first = [...group].sort((a, b) => rank.get(a)! - rank.get(b)!)[0]!;
    // Shortest way from the first step back to itself inside the group (breadth first).
    const cameFrom = new Map<string, string>();
    const queue = [first];
    let last: string | undefined;
    while (queue.length > 0 && last === undefined) {
      const current = queue.shift()!;
      for (const next of downstream.get(current)!) {
        if (!members.has(next)) continue;
        if (next === first) {
          last = current;
          break;
        }
        if (!cameFrom.has(next)) {
          cameFrom.set(next, current);
          queue.push(next);
        }
      }
    }
    const cycle = [first];
    for (let step = last!; step !== first; step = cameFrom.get(step)!) cycle.splice(1, 0, step);
    cycle.push(first);
    cycles.push(cycle);
  }
  return cycles.sort((a, b) => rank.get(a[0]!)! - rank.get(b[0]!)!);
}

/** Tarjan's algorithm, iterative so a long chain of steps cannot overflow the stack. */
function stronglyConnected(order: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of order) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group);
      }
    }
  }
  return groups;
}

/** Upstream steps before the steps that need them; among steps that are ready, file order. Assumes no cycle. */
export function topologicalOrder(order: readonly string[], upstream: Readonly<Record<string, readonly string[]>>): string[] {
  const done = new Set<string>();
  const result: string[] = [];
  while (result.length < order.length) {
    const next = order.find((step) => !done.has(step) && (upstream[step] ?? []).every((parent) => done.has(parent)));
    if (next === undefined) throw new Error('topologicalOrder: the steps form a cycle');
    done.add(next);
    result.push(next);
  }
  return result;
}

/** Every step `step` depends on, directly or not. */
export function ancestorsOf(step: string, upstream: Readonly<Record<string, readonly string[]>>): Set<string> {
  const seen = new Set<string>();
  const pending = [...(upstream[step] ?? [])];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    pending.push(...(upstream[current] ?? []));
  }
  return seen;
}
