// @vitest-environment node
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// docs/options.md is the one reference of createAuthClient's options. This test reads the public
// types with the TypeScript compiler and fails when an option is missing from the page, or when
// the page documents one the types do not have.

const root = fileURLToPath(new URL('../..', import.meta.url));
const typesFile = `${root}src/types.ts`;

/** The option names of AuthClientOptions (with `endpoints.<call>` for each endpoint), and the endpoint object's fields. */
function optionsInTypes() {
  const program = ts.createProgram([typesFile], { strict: true, exactOptionalPropertyTypes: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(typesFile);
  if (!source) throw new Error(`cannot read ${typesFile}`);
  const interfaceType = (name: string) => {
    const declaration = source.statements.find((node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === name);
    if (!declaration) throw new Error(`src/types.ts has no interface ${name}`);
    return checker.getTypeAtLocation(declaration);
  };
  const options = interfaceType('AuthClientOptions');
  const names = options.getProperties().map((property) => property.name);
  const endpoints = options.getProperty('endpoints');
  if (!endpoints) throw new Error('AuthClientOptions has no endpoints');
  const endpointsType = checker.getNonNullableType(checker.getTypeOfSymbol(endpoints));
  names.push(...endpointsType.getProperties().map((property) => `endpoints.${property.name}`));
  // The index signature is "an endpoint of your own", documented as `endpoints.<name>`.
  if (checker.getIndexInfosOfType(endpointsType).some((info) => info.keyType.flags & ts.TypeFlags.String)) names.push('endpoints.<name>');
  const endpointFields = interfaceType('EndpointConfig').getProperties().map((property) => property.name);
  return { options: names.sort(), endpointFields: endpointFields.sort() };
}

/** The first code span of the first cell of each table row under `heading` in docs/options.md. */
function documented(markdown: string, heading: string) {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`docs/options.md has no heading "${heading}"`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  const names: string[] = [];
  for (const line of lines.slice(start + 1, end < 0 ? undefined : end)) {
    const cell = /^\|\s*`([^`]+)`/.exec(line);
    if (cell?.[1]) names.push(cell[1]);
  }
  return names.sort();
}

describe('docs/options.md against the public types', () => {
  const page = readFileSync(`${root}docs/options.md`, 'utf8');
  const types = optionsInTypes();

  it('reads the options from the types, nested endpoints included', () => {
    // A guard on the reader itself: were it to read nothing, every comparison below would pass.
    expect(types.options).toEqual(expect.arrayContaining(['baseUrl', 'csrf', 'dpop', 'endpoints.refresh', 'endpoints.logoutEverywhere', 'endpoints.<name>']));
    expect(types.endpointFields).toEqual(['bearer', 'body', 'headers', 'method', 'path']);
  });

  it('documents every option of AuthClientOptions, each once', () => {
    const rows = documented(page, '## Every option');
    expect(types.options.filter((name) => !rows.includes(name))).toEqual([]);
    expect(rows.filter((name, index) => rows.indexOf(name) !== index)).toEqual([]);
  });

  it('documents no option the types lack', () => {
    const rows = documented(page, '## Every option');
    expect(rows.filter((name) => !types.options.includes(name))).toEqual([]);
  });

  it('documents every field of the endpoint object, and no other', () => {
    expect(documented(page, '## The endpoint object')).toEqual(types.endpointFields);
  });
});
