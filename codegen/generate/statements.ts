/**
 * Collects a generated file's top-level statements as plain structures and prints them as
 * TypeScript text. The structures follow ts-morph's shapes (the emitters were written against
 * them), but printing is ours: the code we emit is a handful of declaration kinds, and loading
 * ts-morph (and with it the whole TypeScript compiler) cost `chronos generate` more CPU than
 * everything else it does. Indentation is left to `reindent` (layout.ts), which the caller runs
 * over the printed text.
 */

/** How a variable statement declares (`const`, `let`). */
export const VariableDeclarationKind = { Const: 'const', Let: 'let', Var: 'var' } as const;
/** One of {@link VariableDeclarationKind}. */
export type VariableDeclarationKind = (typeof VariableDeclarationKind)[keyof typeof VariableDeclarationKind];

/** TSDoc text of a declaration, one entry per comment (ts-morph's `docs`). */
type Docs = readonly string[] | undefined;

/** A parameter of a function, method or constructor. */
export interface ParameterStructure {
  name: string;
  type?: string;
  hasQuestionToken?: boolean;
  initializer?: string;
}

/** `import { a, b as c } from 'module'` (or `import type`). */
export interface ImportDeclarationStructure {
  moduleSpecifier: string;
  namedImports?: ReadonlyArray<string | { name: string; alias?: string }>;
  /** `import * as <name>`, in place of named imports. */
  namespaceImport?: string;
  isTypeOnly?: boolean;
}

/** `export * from 'module'`, or `export { a } from 'module'`. */
export interface ExportDeclarationStructure {
  moduleSpecifier: string;
  namedExports?: readonly string[];
  isTypeOnly?: boolean;
}

/** A property of an interface or class. */
export interface PropertyStructure {
  name: string;
  type?: string;
  hasQuestionToken?: boolean;
  isReadonly?: boolean;
  initializer?: string;
  docs?: Docs;
}

/** A method signature of an interface. */
export interface MethodSignatureStructure {
  name: string;
  parameters?: readonly ParameterStructure[];
  returnType?: string;
  docs?: Docs;
}

/** `interface Name extends … { … }`. */
export interface InterfaceDeclarationStructure {
  name: string;
  isExported?: boolean;
  extends?: readonly string[];
  properties?: readonly PropertyStructure[];
  methods?: readonly MethodSignatureStructure[];
  docs?: Docs;
}

/** `type Name = …`. */
export interface TypeAliasDeclarationStructure {
  name: string;
  type: string;
  isExported?: boolean;
  typeParameters?: readonly string[];
  docs?: Docs;
}

/** A method (with a body) of a class. */
export interface MethodDeclarationStructure extends MethodSignatureStructure {
  isAsync?: boolean;
  isStatic?: boolean;
  scope?: 'public' | 'protected' | 'private';
  statements?: string;
}

/** A constructor of a class. */
export interface ConstructorDeclarationStructure {
  parameters?: readonly ParameterStructure[];
  statements?: string;
  docs?: Docs;
}

/** `class Name extends Base { … }`. */
export interface ClassDeclarationStructure {
  name: string;
  isExported?: boolean;
  extends?: string;
  implements?: readonly string[];
  properties?: readonly PropertyStructure[];
  ctors?: readonly ConstructorDeclarationStructure[];
  methods?: readonly MethodDeclarationStructure[];
  docs?: Docs;
}

/** One declarator of a variable statement. */
export interface VariableDeclarationStructure {
  name: string;
  type?: string;
  initializer?: string;
}

/** `const name: type = initializer;`. */
export interface VariableStatementStructure {
  declarations: readonly VariableDeclarationStructure[];
  declarationKind?: VariableDeclarationKind;
  isExported?: boolean;
  docs?: Docs;
}

/** `function name(…): type { … }`. */
export interface FunctionDeclarationStructure {
  name: string;
  isExported?: boolean;
  isAsync?: boolean;
  parameters?: readonly ParameterStructure[];
  returnType?: string;
  statements?: string;
  docs?: Docs;
}

/** A TSDoc comment: one line when it fits on one, else one ` * ` line per line. */
function doc(text: string): string {
  if (!text.includes('\n')) return `/** ${text} */`;
  return ['/**', ...text.split('\n').map((line) => (line === '' ? ' *' : ` * ${line}`)), ' */'].join('\n');
}

function docs(list: Docs): string {
  return (list ?? []).map((d) => `${doc(d)}\n`).join('');
}

const exported = (flag: boolean | undefined) => (flag ? 'export ' : '');

function parameters(list: readonly ParameterStructure[] | undefined): string {
  return (list ?? [])
    .map((p) => `${p.name}${p.hasQuestionToken ? '?' : ''}${p.type !== undefined ? `: ${p.type}` : ''}${p.initializer !== undefined ? ` = ${p.initializer}` : ''}`)
    .join(', ');
}

function property(p: PropertyStructure): string {
  const type = p.type !== undefined ? `: ${p.type}` : '';
  const init = p.initializer !== undefined ? ` = ${p.initializer}` : '';
  return `${docs(p.docs)}${p.isReadonly ? 'readonly ' : ''}${p.name}${p.hasQuestionToken ? '?' : ''}${type}${init};`;
}

function signature(m: MethodSignatureStructure): string {
  return `${docs(m.docs)}${m.name}(${parameters(m.parameters)})${m.returnType !== undefined ? `: ${m.returnType}` : ''};`;
}

function body(statements: string | undefined): string {
  return statements ? `{\n${statements}\n}` : '{\n}';
}

function classText(c: ClassDeclarationStructure): string {
  const heritage = `${c.extends ? ` extends ${c.extends}` : ''}${c.implements?.length ? ` implements ${c.implements.join(', ')}` : ''}`;
  const members = [
    ...(c.properties ?? []).map(property),
    ...(c.ctors ?? []).map((k) => `${docs(k.docs)}constructor(${parameters(k.parameters)}) ${body(k.statements)}`),
    ...(c.methods ?? []).map((m) => {
      const modifiers = `${m.scope && m.scope !== 'public' ? `${m.scope} ` : ''}${m.isStatic ? 'static ' : ''}${m.isAsync ? 'async ' : ''}`;
      return `${docs(m.docs)}${modifiers}${m.name}(${parameters(m.parameters)})${m.returnType !== undefined ? `: ${m.returnType}` : ''} ${body(m.statements)}`;
    }),
  ];
  return `${docs(c.docs)}${exported(c.isExported)}class ${c.name}${heritage} {\n${members.join('\n\n')}\n}`;
}

/** The statements of one generated file, in order. */
export class StatementCollector {
  readonly statements: string[] = [];

  addImportDeclaration(s: ImportDeclarationStructure): void {
    const names = (s.namedImports ?? []).map((n) => (typeof n === 'string' ? n : n.alias ? `${n.name} as ${n.alias}` : n.name));
    const what = s.namespaceImport ? `* as ${s.namespaceImport}` : `{ ${names.join(', ')} }`;
    this.statements.push(`import ${s.isTypeOnly ? 'type ' : ''}${what} from '${s.moduleSpecifier}';`);
  }

  addExportDeclaration(s: ExportDeclarationStructure): void {
    const what = s.namedExports ? `{ ${s.namedExports.join(', ')} }` : '*';
    this.statements.push(`export ${s.isTypeOnly ? 'type ' : ''}${what} from '${s.moduleSpecifier}';`);
  }

  addInterface(s: InterfaceDeclarationStructure): void {
    const members = [...(s.properties ?? []).map(property), ...(s.methods ?? []).map(signature)];
    const heritage = s.extends?.length ? ` extends ${s.extends.join(', ')}` : '';
    this.statements.push(`${docs(s.docs)}${exported(s.isExported)}interface ${s.name}${heritage} {\n${members.join('\n')}${members.length ? '\n' : ''}}`);
  }

  addTypeAlias(s: TypeAliasDeclarationStructure): void {
    const params = s.typeParameters?.length ? `<${s.typeParameters.join(', ')}>` : '';
    this.statements.push(`${docs(s.docs)}${exported(s.isExported)}type ${s.name}${params} = ${s.type};`);
  }

  addClass(s: ClassDeclarationStructure): void {
    this.statements.push(classText(s));
  }

  addVariableStatement(s: VariableStatementStructure): void {
    const declarators = s.declarations.map((d) => `${d.name}${d.type !== undefined ? `: ${d.type}` : ''}${d.initializer !== undefined ? ` = ${d.initializer}` : ''}`);
    this.statements.push(`${docs(s.docs)}${exported(s.isExported)}${s.declarationKind ?? 'let'} ${declarators.join(', ')};`);
  }

  addFunction(s: FunctionDeclarationStructure): void {
    const returns = s.returnType !== undefined ? `: ${s.returnType}` : '';
    this.statements.push(`${docs(s.docs)}${exported(s.isExported)}${s.isAsync ? 'async ' : ''}function ${s.name}(${parameters(s.parameters)})${returns} ${body(s.statements)}`);
  }

  /** The file's text: one statement after another (indentation is the caller's). */
  print(): string {
    return `${this.statements.join('\n')}\n`;
  }
}
