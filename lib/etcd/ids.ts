/**
 * etcd member IDs are uint64. etcdctl's `-w json` prints them as bare JSON
 * numbers, which JSON.parse rounds beyond 2^53, so the ID it returns would
 * name no member. We quote them before parsing and keep them as lowercase
 * hex strings everywhere: the form `etcdctl member remove|update` expects.
 */

/** The keys whose numbers are uint64 IDs in etcdctl's JSON output. */
const ID_KEYS = ['ID', 'id', 'member_id', 'leader', 'cluster_id', 'memberID'];
const ID_NUMBER = new RegExp(`"(${ID_KEYS.join('|')})"(\\s*):(\\s*)(\\d+)`, 'g');

/** JSON.parse with every ID number kept exact, as a decimal string. */
export function parseEtcdJson(text: string): unknown {
  return JSON.parse(text.replace(ID_NUMBER, '"$1"$2:$3"$4"'));
}

/** A decimal uint64 (string, as parseEtcdJson leaves it) to lowercase hex. */
export function decimalToHex(dec: string | number | bigint): string {
  return BigInt(dec).toString(16);
}

/**
 * Normalises an ID a user wrote: hex, with or without `0x`, any case. Digits
 * only are read as hex too, as etcdctl does. null when it is not a uint64.
 */
export function normaliseHexId(id: string): string | null {
  const s = id.trim().toLowerCase().replace(/^0x/, '').replace(/^0+(?=.)/, '');
  if (!/^[0-9a-f]{1,16}$/.test(s)) return null;
  return BigInt(`0x${s}`).toString(16);
}
