import { defineConfig } from 'drizzle-kit';

// Only for `npm run db:generate`: drizzle-kit diffs src/db/schema.ts against the
// committed migrations and writes the next SQL file. It never connects to a database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
