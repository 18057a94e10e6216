/**
 * Part of `npm run check`: the import layering of src/, checked rather than described. Two
 * kinds of rule: forbidden imports between parts (below), and no cycle between the top-level
 * folders of src/ (a cycle between files of one folder is that folder's business).
 */
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';

/** A part of src/: a top-level folder, or a file directly under src/. */
const partOf = (path: string) => /^src\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(path)?.[1];

// src/sqlite/ (the narrow SQLite driver interface) imports nothing of ours: the SDK may use it.
const SERVER = '^src/(?!events/|receiver/|sqlite/)';
const BACKENDS = '^src/store/(sqlite|postgres)/';

/** A rule against imports from `from` to `to`. */
const forbid = (name: string, comment: string, from: string, to: string): IForbiddenRuleType => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

/** Neither of two siblings imports the other. */
const siblings = (name: string, comment: string, a: string, b: string) => [
  forbid(name, comment, a, b),
  forbid(name, comment, b, a),
];

const RULES: IForbiddenRuleType[] = [
  forbid(
    'backend-outside-store',
    'A storage backend is reached only through the Store interface (src/store/open.ts picks one).',
    '^src/(?!store/)',
    BACKENDS,
  ),
  ...siblings(
    'backends-are-siblings',
    'Neither backend imports the other: shared steps live in src/store/.',
    '^src/store/sqlite/',
    '^src/store/postgres/',
  ),
  // The three front doors (the JSON API, the admin interface, the appliance's XML APIs) share
  // use cases through src/operations/ and credentials through src/credentials/ only.
  ...(
    [
      ['^src/api/', '^src/admin/'],
      ['^src/api/', '^src/appliance-api/'],
      ['^src/admin/', '^src/appliance-api/'],
    ] as const
  ).flatMap(([a, b]) =>
    siblings(
      'front-doors-are-siblings',
      'The front doors share use cases through src/operations/ only.',
      a,
      b,
    ),
  ),
  forbid(
    'store-below-config',
    'The store takes its settings as arguments; config/ reads the environment.',
    '^src/store/',
    '^src/config/',
  ),
  forbid(
    'no-upward-imports',
    'Data flows API/admin → operations → store → delivery: nothing below imports above.',
    '^src/(store|delivery|events|sessions|recipients|operations|metrics|reporting|credentials|sqlite)/',
    '^src/(api|admin|appliance-api|http|cli|server\\.ts|service\\.ts)',
  ),
  forbid(
    'sqlite-driver-is-a-leaf',
    'The SQLite driver interface sits under the store and the receiver SDK: it imports neither.',
    '^src/sqlite/',
    '^src/(?!sqlite/)',
  ),
  forbid(
    'sdk-imports-no-server',
    'The receiver SDK and the schema-1 events ship to integrators without the server.',
    '^src/(events|receiver)/',
    SERVER,
  ),
];

const result = await cruise(['src'], {
  tsPreCompilationDeps: true,
  doNotFollow: { path: 'node_modules' },
  exclude: { path: 'node_modules' },
  ruleSet: { forbidden: RULES },
  validate: true,
});
if (typeof result.output === 'string') throw new Error('dependency-cruiser gave text output');
const { modules, summary } = result.output;

const problems: string[] = summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

// Folder cycles: the graph of parts, then its strongly connected components (Tarjan).
const edges = new Map<string, Set<string>>();
const via = new Map<string, string>();
for (const module of modules) {
  const from = partOf(module.source);
  if (from === undefined) continue;
  for (const dependency of module.dependencies) {
    const to = partOf(dependency.resolved);
    if (to === undefined || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)?.add(to);
    via.set(`${from}→${to}`, `${module.source} → ${dependency.resolved}`);
  }
}
let counter = 0;
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const components: string[][] = [];
const visit = (v: string) => {
  index.set(v, counter);
  low.set(v, counter);
  counter++;
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
    } else if (onStack.has(w)) {
      low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
  }
  if (low.get(v) === index.get(v)) {
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component.sort());
  }
};
for (const v of edges.keys()) if (!index.has(v)) visit(v);
for (const component of components) {
  const inside = new Set(component);
  const examples = component.flatMap((from) =>
    [...(edges.get(from) ?? [])]
      .filter((to) => inside.has(to))
      .map((to) => `    ${via.get(`${from}→${to}`)}`),
  );
  problems.push(`folder cycle: ${component.join(' ↔ ')}\n${examples.join('\n')}`);
}

const parts = new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
if (problems.length > 0) {
  console.error(`layering: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(
  `layering: ${modules.length} modules in ${parts.size} parts, ${RULES.length} rules, no violation, no folder cycle`,
);
