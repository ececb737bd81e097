/**
 * Collects a file's top-level statements as ts-morph structures, so each file is printed by
 * ts-morph in one pass (`createSourceFile(path, { statements })`) rather than re-parsed after
 * every insertion, which made generating a hundred collections several times slower.
 */
import {
  StructureKind,
  type ClassDeclarationStructure,
  type ExportDeclarationStructure,
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
} from 'ts-morph';

/** The statements of one generated file, in order. */
export class StatementCollector {
  readonly statements: StatementStructures[] = [];

  addImportDeclaration(structure: OptionalKind<ImportDeclarationStructure>): void {
    this.statements.push({ kind: StructureKind.ImportDeclaration, ...structure });
  }

  addExportDeclaration(structure: OptionalKind<ExportDeclarationStructure>): void {
    this.statements.push({ kind: StructureKind.ExportDeclaration, ...structure });
  }

  addInterface(structure: OptionalKind<InterfaceDeclarationStructure>): void {
    this.statements.push({ kind: StructureKind.Interface, ...structure });
  }

  addTypeAlias(structure: OptionalKind<TypeAliasDeclarationStructure>): void {
    this.statements.push({ kind: StructureKind.TypeAlias, ...structure });
  }

  addClass(structure: OptionalKind<ClassDeclarationStructure>): void {
    this.statements.push({ kind: StructureKind.Class, ...structure });
  }

  addVariableStatement(structure: OptionalKind<VariableStatementStructure>): void {
    this.statements.push({ kind: StructureKind.VariableStatement, ...structure });
  }

  addFunction(structure: OptionalKind<FunctionDeclarationStructure>): void {
    this.statements.push({ kind: StructureKind.Function, ...structure });
  }
}
