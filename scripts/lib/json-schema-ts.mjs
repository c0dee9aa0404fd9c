/**
 * JSON Schema (draft 2020-12, the subset zod's toJSONSchema emits) → a TypeScript type expression. Used by
 * scripts/gen-client.mjs; covers objects, arrays, records, enums, consts, unions, nullables, files and $refs
 * to components.
 */
const key = (name) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name));
const pad = (depth) => '  '.repeat(depth);

function primitive(type, schema, depth) {
  switch (type) {
    case 'string':
      return schema.format === 'binary' || schema.contentEncoding === 'binary' ? 'Blob' : 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${toTs(schema.items ?? {}, depth)}>`;
    case 'object':
      return objectType(schema, depth);
    default:
      return 'unknown';
  }
}

function objectType(schema, depth) {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const extra = schema.additionalProperties;
  if (!props.length) return extra && typeof extra === 'object' ? `Record<string, ${toTs(extra, depth)}>` : 'Record<string, unknown>';
  const lines = props.map(([name, s]) => {
    const doc = s.description ? `${pad(depth + 1)}/** ${String(s.description).replace(/\*\//g, '* /')} */\n` : '';
    return `${doc}${pad(depth + 1)}${key(name)}${required.has(name) ? '' : '?'}: ${toTs(s, depth + 1)};`;
  });
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

/** The TypeScript type of a schema; `depth` indents nested object literals. */
export function toTs(schema, depth = 0) {
  if (schema === true || !schema || typeof schema !== 'object') return 'unknown';
  if (schema.$ref) return schema.$ref.split('/').pop();
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => toTs(s, depth)).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map((t) => primitive(t, schema, depth)).join(' | ');
  if (schema.type) return primitive(schema.type, schema, depth);
  if (schema.properties) return objectType(schema, depth);
  return 'unknown';
}
