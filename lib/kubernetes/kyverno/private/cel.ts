import type { CelValidation, CelVariable } from '../model';

/**
 * `has()` guards for every step of a dotted path, so the expression never reads a missing key
 * (standard CEL has no optional `.?` syntax): `hasPath('c.a.b')` is `has(c.a) && has(c.a.b)`.
 */
export function hasPath(path: string): string {
  const parts = path.split('.');
  const guards: string[] = [];
  for (let i = 2; i <= parts.length; i++) guards.push(`has(${parts.slice(0, i).join('.')})`);
  return guards.join(' && ');
}

/** True when the path is set and equal to `value` (a CEL literal). */
export function isSetTo(path: string, value: string): string {
  return `(${hasPath(path)} && ${path} == ${value})`;
}

/** True when the path is unset, or set to one of `values` (CEL literals). */
export function unsetOrIn(path: string, values: string[]): string {
  return `(!(${hasPath(path)}) || ${path} in [${values.join(', ')}])`;
}

/** A CEL string literal. */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A CEL list of string literals. */
export function strList(values: readonly string[]): string[] {
  return values.map(str);
}

/** Every container of the pod: init, regular and ephemeral. */
export const ALL_CONTAINERS: CelVariable = {
  name: 'containers',
  expression:
    '(has(object.spec.initContainers) ? object.spec.initContainers : []) + object.spec.containers + ' +
    '(has(object.spec.ephemeralContainers) ? object.spec.ephemeralContainers : [])',
};

/** The init and regular containers of the pod: the ones that may set resources. */
export const INIT_AND_REGULAR_CONTAINERS: CelVariable = {
  name: 'initAndRegularContainers',
  expression: '(has(object.spec.initContainers) ? object.spec.initContainers : []) + object.spec.containers',
};

/**
 * A check that every container in `list` satisfies `predicate` (written over `c`); the message
 * names the containers that do not.
 */
export function everyContainer(
  predicate: string,
  message: string,
  list = 'variables.containers',
): CelValidation {
  return {
    expression: `${list}.all(c, ${predicate})`,
    message,
    messageExpression: `${str(message + ' Containers: ')} + ${list}.filter(c, !(${predicate})).map(c, c.name).join(', ')`,
  };
}
