/**
 * OpenAPI schemas of the served kinds, read from the TypeScript
 * declarations (`.d.ts`) the `kubernetes-models` package ships: one file
 * per definition with its fields, their types, TSDoc descriptions and
 * which are required. Files are read on demand, following references from
 * the kinds asked for, and remembered.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A JSON schema of an OpenAPI document (v3 form, `#/components/schemas/`). */
export type Schema = Record<string, unknown>;

/** Where a definition is declared. */
interface Source {
  file: string;
  /** The OpenAPI definition name, e.g. `io.k8s.api.apps.v1.Deployment`. */
  name: string;
}

/**
 * Merge keys and patch strategies of list fields (what the Go types carry
 * as `patchMergeKey`/`patchStrategy` tags), by definition and property.
 */
const PATCH_DIRECTIVES: Record<string, { key?: string; strategy: string }> = {
  'io.k8s.api.core.v1.PodSpec.containers': { key: 'name', strategy: 'merge' },
  'io.k8s.api.core.v1.PodSpec.initContainers': {
    key: 'name',
    strategy: 'merge',
  },
  'io.k8s.api.core.v1.PodSpec.ephemeralContainers': {
    key: 'name',
    strategy: 'merge',
  },
  'io.k8s.api.core.v1.PodSpec.volumes': {
    key: 'name',
    strategy: 'merge,retainKeys',
  },
  'io.k8s.api.core.v1.PodSpec.imagePullSecrets': {
    key: 'name',
    strategy: 'merge',
  },
  'io.k8s.api.core.v1.PodSpec.hostAliases': { key: 'ip', strategy: 'merge' },
  'io.k8s.api.core.v1.PodSpec.topologySpreadConstraints': {
    key: 'topologyKey',
    strategy: 'merge',
  },
  'io.k8s.api.core.v1.PodSpec.resourceClaims': {
    key: 'name',
    strategy: 'merge,retainKeys',
  },
  'io.k8s.api.core.v1.PodSpec.schedulingGates': {
    key: 'name',
    strategy: 'merge',
  },
  'io.k8s.api.core.v1.Container.env': { key: 'name', strategy: 'merge' },
  'io.k8s.api.core.v1.Container.ports': {
    key: 'containerPort',
    strategy: 'merge',
  },
  'io.k8s.api.core.v1.Container.volumeMounts': {
    key: 'mountPath',
    strategy: 'merge',
  },
  'io.k8s.api.core.v1.Container.volumeDevices': {
    key: 'devicePath',
    strategy: 'merge',
  },
  'io.k8s.api.core.v1.ServiceSpec.ports': { key: 'port', strategy: 'merge' },
  'io.k8s.api.core.v1.ServiceAccount.secrets': {
    key: 'name',
    strategy: 'merge',
  },
  'io.k8s.api.apps.v1.DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'io.k8s.api.core.v1.PodStatus.conditions': { key: 'type', strategy: 'merge' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.ownerReferences': {
    key: 'uid',
    strategy: 'merge',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.finalizers': {
    strategy: 'merge',
  },
};

/** Reads the `.d.ts` files of kubernetes-models into OpenAPI schemas. */
export class ModelSchemas {
  private readonly modelsRoot: string;
  private readonly machineryRoot: string;
  private readonly schemas = new Map<string, Schema>();
  private readonly sources = new Map<string, Source>();

  constructor() {
    this.modelsRoot = dirname(
      require.resolve('kubernetes-models/package.json'),
    );
    this.machineryRoot = dirname(
      require.resolve('@kubernetes-models/apimachinery/package.json', {
        paths: [this.modelsRoot],
      }),
    );
  }

  /** The definition name of a kind, e.g. `io.k8s.api.apps.v1.Deployment`. */
  kindName(group: string, version: string, kind: string): string | undefined {
    const file = group
      ? join(this.modelsRoot, group, version, `${kind}.d.ts`)
      : join(this.modelsRoot, version, `${kind}.d.ts`);
    return existsSync(file) ? this.sourceOf(file).name : undefined;
  }

  /**
   * The schemas of definitions and of everything they reference, by
   * definition name.
   */
  closure(names: string[]): Map<string, Schema> {
    const result = new Map<string, Schema>();
    const pending = [...names];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (result.has(name)) continue;
      const schema = this.schema(name);
      if (!schema) continue;
      result.set(name, schema);
      for (const ref of JSON.stringify(schema).matchAll(
        /"#\/components\/schemas\/([^"]+)"/g,
      )) {
        pending.push(ref[1]);
      }
    }
    return result;
  }

  /** The schema of one definition (references left as they are). */
  schema(name: string): Schema | undefined {
    const cached = this.schemas.get(name);
    if (cached) return cached;
    const source = this.sources.get(name);
    if (!source) return undefined;
    const schema = this.parseFile(source);
    this.schemas.set(name, schema);
    return schema;
  }

  private sourceOf(file: string): Source {
    let name: string;
    if (file.startsWith(this.machineryRoot)) {
      const parts = relative(this.machineryRoot, file)
        .replace(/\.d\.ts$/, '')
        .split('/');
      name = ['io.k8s.apimachinery.pkg', ...parts].join('.');
    } else {
      const parts = relative(this.modelsRoot, file)
        .replace(/\.d\.ts$/, '')
        .split('/');
      name =
        parts.length === 2
          ? `io.k8s.api.core.${parts.join('.')}`
          : `io.k8s.api.${parts[0].replace(/\..*$/, '')}.${parts
              .slice(1)
              .join('.')}`;
    }
    this.sources.set(name, { file, name });
    return { file, name };
  }

  /** Resolves an import specifier of a `.d.ts` file to the imported file. */
  private resolveImport(
    fromFile: string,
    specifier: string,
  ): string | undefined {
    let base: string;
    if (specifier.startsWith('.')) {
      base = resolve(dirname(fromFile), specifier);
    } else if (specifier.startsWith('@kubernetes-models/apimachinery/')) {
      base = join(
        this.machineryRoot,
        specifier.slice('@kubernetes-models/apimachinery/'.length),
      );
    } else if (specifier.startsWith('kubernetes-models/')) {
      base = join(
        this.modelsRoot,
        specifier.slice('kubernetes-models/'.length),
      );
    } else {
      return undefined;
    }
    const file = `${base}.d.ts`;
    return existsSync(file) ? file : undefined;
  }

  private parseFile(source: Source): Schema {
    const text = readFileSync(source.file, 'utf8');
    const imports = new Map<string, string>();
    for (const match of text.matchAll(/import \{ (\w+) \} from "([^"]+)";/g)) {
      const file = this.resolveImport(source.file, match[2]);
      if (file) imports.set(match[1], file);
    }
    const alias = /export declare type I\w+ = ([^;]+);/.exec(text);
    if (alias) {
      return aliasSchema(
        source.name,
        alias[1].trim(),
        descriptionBefore(text, alias.index),
      );
    }
    const start = /export interface I\w+(?: extends [\w, ]+)? \{/.exec(text);
    if (!start) {
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    const bodyStart = start.index + start[0].length;
    const body = text.slice(bodyStart, matchingBrace(text, bodyStart - 1));
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of parseProperties(body)) {
      const schema = this.typeSchema(property.type, imports);
      const directive = PATCH_DIRECTIVES[`${source.name}.${property.name}`];
      properties[property.name] = {
        ...withDescription(schema, property.description),
        ...(directive
          ? {
              'x-kubernetes-patch-strategy': directive.strategy,
              ...(directive.key
                ? {
                    'x-kubernetes-patch-merge-key': directive.key,
                    'x-kubernetes-list-type': 'map',
                    'x-kubernetes-list-map-keys': [directive.key],
                  }
                : {}),
            }
          : {}),
      };
      if (
        !property.optional &&
        property.name !== 'apiVersion' &&
        property.name !== 'kind'
      ) {
        required.push(property.name);
      }
    }
    const description = descriptionBefore(text, start.index);
    return {
      ...(description ? { description } : {}),
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
    };
  }

  private typeSchema(type: string, imports: Map<string, string>): Schema {
    const trimmed = type.trim();
    if (trimmed === 'string') return { type: 'string' };
    if (trimmed === 'number') return { type: 'integer', format: 'int32' };
    if (trimmed === 'boolean') return { type: 'boolean' };
    const literals = trimmed.split('|').map(part => part.trim());
    if (literals.every(part => /^"[^"]*"$/.test(part))) {
      return { type: 'string', enum: literals.map(part => part.slice(1, -1)) };
    }
    if (
      literals.length > 1 &&
      literals.every(part => part === 'string' || part === 'number')
    ) {
      return {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      };
    }
    const array =
      /^Array<([\s\S]+)>$/.exec(trimmed) ?? /^([\w]+)\[\]$/.exec(trimmed);
    if (array) {
      return { type: 'array', items: this.typeSchema(array[1], imports) };
    }
    const map = /^\{\s*\[key: string\]: ([\s\S]+?);?\s*\}$/.exec(trimmed);
    if (map) {
      return {
        type: 'object',
        additionalProperties: this.typeSchema(map[1], imports),
      };
    }
    const file = imports.get(trimmed);
    if (file) {
      return { $ref: `#/components/schemas/${this.sourceOf(file).name}` };
    }
    return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
}

function aliasSchema(name: string, type: string, description?: string): Schema {
  let schema: Schema;
  if (name.endsWith('.Time') || name.endsWith('.MicroTime')) {
    schema = { type: 'string', format: 'date-time' };
  } else if (name.endsWith('.IntOrString')) {
    schema = {
      type: 'string',
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    };
  } else if (name.endsWith('.Quantity')) {
    schema = {
      type: 'string',
      format: 'quantity',
      'x-kubernetes-int-or-string': true,
    };
  } else if (type === 'string') {
    schema = { type: 'string' };
  } else {
    schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  return description ? { description, ...schema } : schema;
}

function withDescription(schema: Schema, description?: string): Schema {
  if (!description) return schema;
  if (schema.$ref) {
    // A sibling of $ref is ignored in OpenAPI 3.0; Kubernetes wraps it.
    return { description, allOf: [schema] };
  }
  return { description, ...schema };
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

/** The TSDoc comment that ends right before `index`, as plain text. */
function descriptionBefore(text: string, index: number): string | undefined {
  const before = text.slice(0, index).trimEnd();
  if (!before.endsWith('*/')) return undefined;
  const open = before.lastIndexOf('/**');
  return cleanComment(before.slice(open));
}

function cleanComment(comment: string): string {
  return comment
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map(line => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

interface ParsedProperty {
  name: string;
  optional: boolean;
  type: string;
  description?: string;
}

/** The properties of an interface body, types read up to the `;` at depth 0. */
function parseProperties(body: string): ParsedProperty[] {
  const properties: ParsedProperty[] = [];
  const pattern = /(\/\*\*[\s\S]*?\*\/\s*)?"([^"]+)"(\?)?:\s*/g;
  for (
    let match = pattern.exec(body);
    match !== null;
    match = pattern.exec(body)
  ) {
    let depth = 0;
    let end = pattern.lastIndex;
    for (; end < body.length; end++) {
      const char = body[end];
      if (char === '{' || char === '<' || char === '(') depth++;
      if (char === '}' || char === '>' || char === ')') depth--;
      if (char === ';' && depth === 0) break;
    }
    properties.push({
      name: match[2],
      optional: match[3] === '?',
      type: body.slice(pattern.lastIndex, end),
      description: match[1] ? cleanComment(match[1].trim()) : undefined,
    });
    pattern.lastIndex = end + 1;
  }
  return properties;
}
