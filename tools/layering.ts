/**
 * Part of `npm run check`: the import layering of src/, checked rather than described. Two
 * kinds of rule: forbidden imports between parts (below), and no cycle between the top-level
 * folders of src/ (a cycle between files of one folder is that folder's business).
 */
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';

/** A part of src/: a top-level folder, or a file directly under src/. */
const partOf = (path: string) => /^src\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(path)?.[1];

const SERVER = '^src/(?!events/|receiver/)';
const BACKENDS = '^src/store/(sqlite|postgres)/';

const RULES: IForbiddenRuleType[] = [
  {
    name: 'backend-outside-store',
    comment:
      'A storage backend is reached only through the Store interface (src/store/open.ts picks one).',
    severity: 'error',
    from: { path: '^src/(?!store/)', pathNot: '^src/store/' },
    to: { path: BACKENDS },
  },
  {
    name: 'backends-are-siblings',
    comment: 'Neither backend imports the other: shared steps live in src/store/.',
    severity: 'error',
    from: { path: '^src/store/(sqlite)/' },
    to: { path: '^src/store/postgres/' },
  },
  {
    name: 'backends-are-siblings',
    comment: 'Neither backend imports the other: shared steps live in src/store/.',
    severity: 'error',
    from: { path: '^src/store/(postgres)/' },
    to: { path: '^src/store/sqlite/' },
  },
  {
    name: 'front-doors-are-siblings',
    comment: 'The API and the admin interface share use cases through src/operations/ only.',
    severity: 'error',
    from: { path: '^src/api/' },
    to: { path: '^src/admin/' },
  },
  {
    name: 'front-doors-are-siblings',
    comment: 'The API and the admin interface share use cases through src/operations/ only.',
    severity: 'error',
    from: { path: '^src/admin/' },
    to: { path: '^src/api/' },
  },
  {
    name: 'store-below-config',
    comment: 'The store takes its settings as arguments; config/ reads the environment.',
    severity: 'error',
    from: { path: '^src/store/' },
    to: { path: '^src/config/' },
  },
  {
    name: 'no-upward-imports',
    comment: 'Data flows API/admin → operations → store → delivery: nothing below imports above.',
    severity: 'error',
    from: { path: '^src/(store|delivery|events|sessions|recipients|operations|metrics)/' },
    to: { path: '^src/(api|admin|http|cli|service\\.ts)' },
  },
  {
    name: 'sdk-imports-no-server',
    comment: 'The receiver SDK and the schema-1 events ship to integrators without the server.',
    severity: 'error',
    from: { path: '^src/(events|receiver)/' },
    to: { path: SERVER },
  },
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
