/**
 * ebRS 3.0 stored-query parameter value syntax (ITI TF-2 3.18.4.1.2.3.5): strings in single quotes with quotes
 * doubled, list values in parentheses separated by commas.
 */
export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A parenthesised OR-list of quoted strings: ('a','b'). */
export function quotedList(values: readonly string[]): string {
  return `(${values.map(quote).join(',')})`;
}
