/** Disjoint sets over 0..n-1 (path halving), for grouping cells, rules and shapes. */
export class UnionFind {
  private readonly parent: number[];

  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }

  find(i: number): number {
    let x = i;
    while (this.parent[x] !== x) {
      const up = this.parent[x] ?? x;
      this.parent[x] = this.parent[up] ?? up;
      x = up;
    }
    return x;
  }

  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }

  /** The members of each set, keyed by root. */
  groups(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (let i = 0; i < this.parent.length; i++) {
      const root = this.find(i);
      const group = out.get(root);
      if (group) group.push(i);
      else out.set(root, [i]);
    }
    return out;
  }
}
