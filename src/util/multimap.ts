/**
 * Appends `value` to the list kept under `key` (creating it), in place: O(1) per call, where copying the list on each
 * append (`[...(m.get(k) ?? []), v]`) makes a file with n assignments to one name cost O(n^2).
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
