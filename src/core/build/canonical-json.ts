/**
 * JSON with object keys sorted at every level, so two tool inputs that mean the same thing
 * (`{"a":1,"b":2}` and `{"b":2,"a":1}`) compare equal as strings. Arrays keep their order.
 * Values JSON cannot hold behave as in JSON.stringify (undefined fields dropped); a top-level
 * undefined becomes 'undefined' so the result is always a string.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (isPlainObject(item) ? sortKeys(item) : item)) ?? 'undefined';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = value[key];
  return sorted;
}
