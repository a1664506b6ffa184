/**
 * `ansible_loop` of one iteration, with the fields of Ansible's
 * `loop_control: extended: true` (tsplay always gives them): previtem and
 * nextitem where there is one, allitems the whole list.
 */
export function loopInfo(items: unknown[], i: number): Record<string, unknown> {
  const n = items.length;
  return {
    allitems: items,
    index: i + 1,
    index0: i,
    first: i === 0,
    last: i === n - 1,
    length: n,
    revindex: n - i,
    revindex0: n - i - 1,
    ...(i > 0 ? { previtem: items[i - 1] } : {}),
    ...(i < n - 1 ? { nextitem: items[i + 1] } : {}),
  };
}
