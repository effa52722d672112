/**
 * A method's params with each path it declares (MethodSpec.paths: 'store', 'files.*',
 * 'request.toRegistry.access.caFile') replaced by what `check` makes of it. `check` gets the field as
 * the user knows it: the last named segment, with an index below it ('caFile', 'files.2').
 */
export function checkDeclaredPaths<T>(params: T, declared: readonly string[], check: (value: string, field: string) => string): T {
  let result: unknown = params;
  for (const spec of declared) result = checkAt(result, spec.split('.'), '', check);
  return result as T;
}

function checkAt(value: unknown, segments: readonly string[], field: string, check: (value: string, field: string) => string): unknown {
  const [segment, ...rest] = segments;
  if (segment === undefined) return typeof value === 'string' ? check(value, field) : value;
  if (segment === '*') return Array.isArray(value) ? value.map((item, i) => checkAt(item, rest, `${field}.${i}`, check)) : value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (record[segment] === undefined) return value;
  return { ...record, [segment]: checkAt(record[segment], rest, segment, check) };
}
