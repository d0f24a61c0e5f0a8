/**
 * The layers of docs/ARCHITECTURE.md, checked on every `npm test` (`npm run lint:layers`). A
 * broken rule fails the lint naming the rule and the import. Type-only imports count too:
 * a type from the wrong layer couples the code as much as a value does.
 *
 *   http → services → repositories → db        domain: pure, imported by anyone
 *   jobs → services                              policies: a leaf (errors only)
 *   web/src → src/http/routes/<resource>/contract.ts and src/http/schemas.ts only
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle: two modules that cannot be understood (or loaded) one without the other.',
      severity: 'error',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'http-through-services',
      comment: 'HTTP reaches data only through services (and their view types): never a repository or the database.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(repositories|db|jobs|cli)/' },
    },
    {
      name: 'jobs-through-services',
      comment: 'Jobs only schedule and call services; the SQL is in repositories, the use cases in services.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/(repositories|http|cli)/' },
    },
    {
      name: 'services-not-upward',
      comment: 'Services know nothing of HTTP, jobs or the CLI that call them.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/(http|jobs|cli)/' },
    },
    {
      name: 'repositories-not-upward',
      comment: 'Repositories are the SQL: they call no service, route or job.',
      severity: 'error',
      from: { path: '^src/repositories/' },
      to: { path: '^src/(services|http|jobs|cli|integrations)/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is pure logic: no I/O, no other layer (only errors.ts and itself).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: '^src/(?!domain/|errors\\.ts$)',
      },
    },
    {
      name: 'domain-no-io-packages',
      comment: 'domain/ does no I/O: no database, network, file or mail package.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: ['npm', 'core'],
        path: '^(pg|@electric-sql/pglite|drizzle-orm|pg-boss|nodemailer|fastify|stripe|simple-oauth2|fs|node:fs|net|node:net|http|node:http|https|node:https|child_process|node:child_process)($|/)',
      },
    },
    {
      name: 'policies-are-a-leaf',
      comment: 'Policies are rules over small input types of their own: they import nothing but errors.ts.',
      severity: 'error',
      from: { path: '^src/policies/' },
      to: { path: '^src/(?!policies/|errors\\.ts$)' },
    },
    {
      name: 'integrations-no-database',
      comment: "An integration talks to one provider's API; the database is the services' business.",
      severity: 'error',
      from: { path: '^src/integrations/' },
      to: { path: '^src/(db|services|http|jobs|cli)/' },
    },
    {
      name: 'web-imports-only-the-contract',
      comment:
        'The web app knows the server only through its contract: types from src/http/routes/<resource>/contract.ts and src/http/schemas.ts.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/http/(routes/[^/]+/contract\\.ts|schemas\\.ts)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
