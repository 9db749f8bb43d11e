import {
  celFunc,
  celMap,
  celMethod,
  CelScalar,
  isCelList,
  isCelMap,
  listType,
  type CelFunc,
  type CelInput,
  type CelValue,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { OPTIONAL_INDEX, OPTIONAL_SELECT } from './optional-syntax';

// An optional is a map holding this key: no Kubernetes object has a key starting with NUL, and a
// map survives every operator the optional methods are chained with.
const PRESENT = '\u0000optional';
const VALUE = '\u0000value';

const NONE = celMap(new Map<string, CelInput>([[PRESENT, false]]));

function some(value: CelValue): CelValue {
  return celMap(
    new Map<string, CelInput>([
      [PRESENT, true],
      [VALUE, value as CelInput],
    ]),
  );
}

function isOptional(v: CelValue): boolean {
  return isCelMap(v) && v.has(PRESENT);
}

function isPresent(v: CelValue): boolean {
  return isCelMap(v) && v.get(PRESENT) === true;
}

function unwrap(v: CelValue): CelValue | undefined {
  if (!isOptional(v)) return v;
  return isPresent(v) ? (v as ReturnType<typeof celMap>).get(VALUE) : undefined;
}

function requireOptional(v: CelValue, method: string): void {
  if (!isOptional(v)) throw new Error(`${method}() applies to an optional value`);
}

function select(target: CelValue, field: string): CelValue {
  const value = unwrap(target);
  if (value === undefined || value === null) return NONE;
  if (isCelMap(value)) {
    const found = value.get(field);
    return found === undefined ? NONE : some(found);
  }
  throw new Error(`no field '${field}' on a value that is not an object`);
}

function index(target: CelValue, key: CelValue): CelValue {
  const value = unwrap(target);
  if (value === undefined || value === null) return NONE;
  if (isCelList(value)) {
    const i = typeof key === 'bigint' ? Number(key) : typeof key === 'number' ? key : NaN;
    if (!Number.isInteger(i)) throw new Error('a list index must be an integer');
    return i >= 0 && i < value.size ? some(value.get(i) as CelValue) : NONE;
  }
  if (isCelMap(value)) {
    const found = value.get(key as string);
    return found === undefined ? NONE : some(found);
  }
  throw new Error('optional index applies to a list or a map');
}

function isZero(v: CelValue): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === BigInt(0)) return true;
  if (isCelList(v)) return v.size === 0;
  if (isCelMap(v)) return v.size === 0;
  return false;
}

const DYN = CelScalar.DYN;

const optionalFunctions: CelFunc[] = [
  celMethod(OPTIONAL_SELECT, DYN, [CelScalar.STRING], DYN, function (field) {
    return select(this, field) as CelInput;
  }),
  celMethod(OPTIONAL_INDEX, DYN, [DYN], DYN, function (key) {
    return index(this, key) as CelInput;
  }),
  celMethod('hasValue', DYN, [], CelScalar.BOOL, function () {
    requireOptional(this, 'hasValue');
    return isPresent(this);
  }),
  celMethod('value', DYN, [], DYN, function () {
    requireOptional(this, 'value');
    const v = unwrap(this);
    if (v === undefined) throw new Error('optional.none() has no value');
    return v as CelInput;
  }),
  celMethod('orValue', DYN, [DYN], DYN, function (fallback) {
    requireOptional(this, 'orValue');
    return (unwrap(this) ?? fallback) as CelInput;
  }),
  celMethod('or', DYN, [DYN], DYN, function (other) {
    requireOptional(this, 'or');
    return (isPresent(this) ? this : other) as CelInput;
  }),
  celFunc('optional.of', [DYN], DYN, (v) => some(v) as CelInput),
  celFunc('optional.none', [], DYN, () => NONE),
  celFunc('optional.ofNonZeroValue', [DYN], DYN, (v) => (isZero(v) ? NONE : some(v)) as CelInput),
];

function sameElement(a: CelValue, b: CelValue): boolean {
  const numeric = (x: CelValue): boolean => typeof x === 'number' || typeof x === 'bigint';
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  return a === b;
}

function contains(list: Iterable<CelValue>, item: CelValue): boolean {
  for (const x of list) if (sameElement(x, item)) return true;
  return false;
}

const DYN_LIST = listType(DYN);

// The Kubernetes `sets` library, used by Pod Security checks on capabilities.
const setFunctions: CelFunc[] = [
  celFunc('sets.contains', [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a, b) => {
    for (const x of b) if (!contains(a, x)) return false;
    return true;
  }),
  celFunc('sets.intersects', [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a, b) => {
    for (const x of b) if (contains(a, x)) return true;
    return false;
  }),
  celFunc('sets.equivalent', [DYN_LIST, DYN_LIST], CelScalar.BOOL, (a, b) => {
    for (const x of b) if (!contains(a, x)) return false;
    for (const x of a) if (!contains(b, x)) return false;
    return true;
  }),
];

/** The functions available to policy expressions beyond the CEL standard library. */
export const policyFunctions: readonly CelFunc[] = [...strings, ...optionalFunctions, ...setFunctions];
